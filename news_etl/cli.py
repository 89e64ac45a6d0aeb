"""The `news-etl` command line.

`clean` and `query` never import Prefect, so they start fast.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import csv
import datetime as dt
import json
import os
import sys
from pathlib import Path

# Offline and quiet Prefect unless the user says otherwise (set before Prefect is imported).
PREFECT_DEFAULTS = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def quiet_prefect() -> None:
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


def _json_default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def cmd_run(args: argparse.Namespace) -> int:
    quiet_prefect()
    from news_etl.config import load_settings

    settings = load_settings(inputs=args.input or None, data_dir=args.data_dir, chunk_size=args.chunk_size,
                             workers=args.workers, runner=args.runner, dask_address=args.dask_address)
    from news_etl import prefetch

    if settings.discovery_prefetch:   # the scan runs on the other core while Prefect is imported below
        prefetch.start(settings.inputs, settings.data_dir)
    early_api = start_temporary_api_early()
    from news_etl.runner import run_flow
    from warehouse.lock import RunLocked

    try:
        with prefect_api(early_api):
            summary = run_flow(settings, show_progress=sys.stderr.isatty())
    except RunLocked as exc:
        print(f"news-etl run: {exc}", file=sys.stderr)
        return 75   # EX_TEMPFAIL: try again later
    except Exception as exc:   # a failed data check or a pipeline error: say what, exit non-zero
        print(f"news-etl run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        prefetch.stop()   # a run that failed before its discovery leaves the child unread
        if early_api is not None:   # stopped already unless the run failed before it was handed over
            from news_etl.local_server import stop_temporary_api

            stop_temporary_api(early_api[0])
    if summary.get("status") == "skipped":   # the flow ends as Skipped when another run holds the lock
        print(f"news-etl run: {summary['text']}", file=sys.stderr)
        return 75
    print(summary["text"])
    return 0 if summary["status"] == "completed" else 1


def start_temporary_api_early():
    """Prefect's temporary API started now, before Prefect is imported, when nothing in the environment
    names an API (news_etl/local_server.py `start_temporary_api`); `prefect_api` stops it again if
    Prefect's settings (a profile, prefect.toml) name one after all. None otherwise."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    for name in ("PREFECT_SERVER_EPHEMERAL_ENABLED", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"):
        if os.environ.get(name, "").strip().lower() in {"0", "false", "no", "off"}:
            return None
    from news_etl.local_server import start_temporary_api

    return start_temporary_api()


@contextlib.contextmanager
def prefect_api(early=None):
    """The Prefect API of the run: the configured one, else Prefect's temporary server (`early`, or
    started now), healthy before the flow starts, and handed to Prefect as PREFECT_API_URL for this
    process and its children."""
    from prefect.context import refresh_global_settings_context
    from prefect.settings import get_current_settings

    from news_etl.local_server import stop_temporary_api, temporary_api

    prefect_settings = get_current_settings()
    if prefect_settings.api.url or not prefect_settings.server.ephemeral.enabled:
        if early is not None:
            stop_temporary_api(early[0])   # a profile names the API: the early start was for nothing
        yield
        return

    def import_flow() -> None:   # while the server starts
        import flows.etl  # noqa: F401

    with temporary_api(early, prefect_settings.server.ephemeral.startup_timeout_seconds, meanwhile=import_flow) as url:
        os.environ["PREFECT_API_URL"] = url   # also for threads that start from the global settings
        refresh_global_settings_context()
        try:
            yield
        finally:
            os.environ.pop("PREFECT_API_URL", None)
            refresh_global_settings_context()


def cmd_serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")   # operators read the runs' step lines
    quiet_prefect()
    from news_etl.config import load_settings

    settings = load_settings(inputs=args.input or None, data_dir=args.data_dir, chunk_size=args.chunk_size)
    if os.environ.get("PREFECT_API_URL"):
        from flows.serve import serve

        serve(settings)   # returns on Ctrl-C / SIGTERM
        return 0
    # Prefect's temporary API runs no scheduler service (cron slots would never fire): start a real
    # server on loopback for as long as we serve, before Prefect is imported so that it reads the URL
    import signal

    from news_etl.local_server import own_server

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))   # a SIGTERM during start-up still stops the server
    log = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")) / "news-etl-serve-server.log"
    with own_server(log) as api_url:
        print(f"news-etl serve: no PREFECT_API_URL, so started a Prefect server at {api_url} "
              f"(UI at {api_url.removesuffix('/api')}, log {log}); it stops with this process", file=sys.stderr)
        from flows.serve import serve

        serve(settings)
    return 0


def cmd_clean(args: argparse.Namespace) -> int:
    from news_etl.config import load_settings
    from tasks.clean_text import clean_text  # noqa: F401  (fail early if the cleaner is broken)
    from tasks.formats import ReadConfig, read_source
    from tasks.process import ProcessConfig, article_fields, process_document
    from tasks.records import Reject, SourceFile

    # the configuration a run would use (news-etl.toml, NEWS_ETL_*): a user's RULES_DIR is what a rule
    # being debugged lives in
    cfg = ProcessConfig.from_settings(load_settings())
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            st = path.stat()
        except OSError as exc:
            print(json.dumps({"source_path": name, "rejected": "unreadable", "detail": str(exc)}, ensure_ascii=False))
            status = 1
            continue
        sf = SourceFile(str(path), str(path.parent), path.name, st.st_size, st.st_mtime_ns, path.parent.name)
        for item in read_source(sf, cfg.read):
            outcome = item if isinstance(item, Reject) else process_document(item, cfg)
            if isinstance(outcome, Reject):
                print(json.dumps({"source_path": name, "record_index": outcome.record_index,
                                  "rejected": outcome.reason, "detail": outcome.detail}, ensure_ascii=False))
                continue
            print(json.dumps(article_fields(outcome), ensure_ascii=False, default=_json_default))
    return status


def cmd_rebuild(args: argparse.Namespace) -> int:
    from news_etl.config import load_settings
    from warehouse.lock import RunLocked
    from warehouse.rebuild import rebuild

    settings = load_settings(data_dir=args.data_dir)
    data_dir = Path(settings.data_dir)
    try:
        result = rebuild(data_dir, settings.lock_timeout_s,
                         on_wait=lambda msg: print(f"news-etl rebuild: {msg}", file=sys.stderr))
    except RunLocked as exc:
        print(f"news-etl rebuild: {exc}", file=sys.stderr)
        return 75   # EX_TEMPFAIL, as `run`
    print(result.to_text(data_dir))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.loader import connect
    from warehouse.named_queries import named_queries, named_query_sql

    if args.list:
        queries = named_queries()
        width = max(map(len, queries), default=0)
        for name, description in queries.items():
            print(f"{name.ljust(width)}  {description}")
        return 0
    if not args.sql:
        print("news-etl query: give SQL or a named query (see `news-etl query --list`)", file=sys.stderr)
        return 2
    text = args.sql.strip()
    if text.replace("_", "").isalnum():   # one bare word: a named query, never SQL
        text = named_query_sql(text)
        if text is None:
            print(f"news-etl query: no named query {args.sql!r}; `news-etl query --list` shows them", file=sys.stderr)
            return 2
    if args.format == "parquet" and not args.output:
        print("news-etl query: --format parquet needs --output FILE", file=sys.stderr)
        return 2
    try:
        with connect(Path(args.data_dir), read_only=True) as con:
            if args.format == "parquet":
                import pyarrow.parquet as pq

                table = con.sql(text).to_arrow_table()
                pq.write_table(table, args.output, compression="zstd")
                print(f"{table.num_rows} rows written to {args.output}", file=sys.stderr)
                return 0
            rel = con.execute(text)
            columns = [d[0] for d in rel.description] if rel.description else []
            rows = rel.fetchall() if columns else []
    except FileNotFoundError as exc:
        print(f"news-etl query: {exc}", file=sys.stderr)
        return 2
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            print("news-etl query: a run is writing the warehouse right now (DuckDB allows no reader while a writer "
                  "holds the file); try again in a moment, or read the feeds (<data-dir>/feeds/*.parquet|csv|json) "
                  "or the Parquet lake instead", file=sys.stderr)
            return 3
        raise
    except duckdb.Error as exc:
        print(f"news-etl query: {exc}", file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            write_rows(columns, rows, args.format, out)
    else:
        write_rows(columns, rows, args.format, sys.stdout)
    return 0


def write_rows(columns: list[str], rows: list[tuple], fmt: str, out) -> None:
    if fmt == "json":
        json.dump([dict(zip(columns, r)) for r in rows], out, ensure_ascii=False, default=_json_default)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        cells = [[_cell(v) for v in r] for r in rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
        out.write(" | ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
        out.write("-+-".join("-" * w for w in widths) + "\n")
        for r in cells:
            out.write(" | ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n")
        out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")


def _cell(value, limit: int = 80) -> str:
    text = "NULL" if value is None else (value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value))
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="news-etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="one run of the pipeline")
    run.add_argument("--input", action="append", help="a landing folder or file (repeatable); default samples/raw")
    run.add_argument("--data-dir", default=None, help="where the warehouse and lake live; default ./data")
    run.add_argument("--chunk-size", type=int, default=None, help="files per Prefect task (default: sized to the run, 250 to 1,000)")
    run.add_argument("--workers", type=int, default=None, help="cleaning processes (0 = one per core)")
    run.add_argument("--runner", choices=["process", "thread", "dask"], default=None)
    run.add_argument("--dask-address", default=None, help="with --runner dask: a scheduler address (else a LocalCluster)")
    run.set_defaults(func=cmd_run)

    serve = sub.add_parser("serve", help="serve the ingest and maintenance schedules from this process "
                           "(Ctrl-C or SIGTERM stops it)")
    serve.add_argument("--input", action="append", help="a landing folder (repeatable); default samples/raw")
    serve.add_argument("--data-dir", default=None, help="where the warehouse and lake live; default ./data")
    serve.add_argument("--chunk-size", type=int, default=None, help="files per Prefect task (default: sized to the run, 250 to 1,000)")
    serve.set_defaults(func=cmd_serve)

    clean = sub.add_parser("clean", help="print one JSON object per file: the article fields and removed lines")
    clean.add_argument("files", nargs="+")
    clean.set_defaults(func=cmd_clean)

    rebuild = sub.add_parser("rebuild", help="recreate warehouse.duckdb from the committed Parquet lake")
    rebuild.add_argument("--data-dir", default=None, help="where the warehouse and lake live; default ./data")
    rebuild.set_defaults(func=cmd_rebuild)

    query = sub.add_parser("query", help="run SQL or a named query on the warehouse, read-only")
    query.add_argument("--data-dir", default=os.environ.get("NEWS_ETL_DATA_DIR", "data"))
    query.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    query.add_argument("--output", "-o", default=None, help="write to FILE instead of stdout (needed for parquet)")
    query.add_argument("--list", action="store_true", help="list the named queries shipped with news-etl")
    query.add_argument("sql", nargs="?", help="SQL, or the name of a named query (e.g. stories)")
    query.set_defaults(func=cmd_query)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if argv is None and args.command == "run":   # the console script, not a caller in the same process
        status = _exit_without_teardown()
        status.append(args.func(args))
        return status[0]
    return args.func(args)


def _exit_without_teardown() -> list[int]:
    """End the process with the status the caller appends to the returned list, once the normal exit
    steps have run, but skip the interpreter's teardown of every module: after a no-op run it took
    0.3-1 s (Prefect's, pydantic's and pyarrow's objects freed one by one) that nobody waits for.

    What an exit must do still happens first: Prefect's event and log workers drain when threads shut
    down (before any atexit hook), and this hook is registered before Prefect is imported, so every
    other one (a temporary Prefect server's stop, logging's flush) runs before it (last in, first out).
    Without a status (the command raised) the interpreter ends as usual."""
    status: list[int] = []

    def end() -> None:
        if not status:
            return
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status[0])

    atexit.register(end)
    return status


if __name__ == "__main__":
    sys.exit(main())
