"""Throughput, orchestration share and peak memory of news-etl, stage by stage, with a peer.

    .venv/bin/python bench/run.py --corpus bench/out/c100k --files 100000          # generates the corpus if missing
    .venv/bin/python bench/run.py --corpus bench/out/c10k --files 10000 --stages cleaner,run,noop
    .venv/bin/python bench/run.py --stages html --html-pages 200                    # no corpus needed

Stages (--stages, comma-separated; default all but marts):
  cleaner  the text cleaner alone (`clean_text`), one process pinned to one core, documents
           decoded beforehand; also `read_source` alone and the whole per-document step
           (`process_document`: clean + fields + language) for reference
  run      `news-etl run` end to end on the corpus (both cores, fresh data dir), as a subprocess
  noop     the same command again: every file is already loaded, nothing changed (--noop-runs N
           times; against --loaded DIR instead of <out>/data, e.g. a copy of a 100k run's data dir)
  html     the HTML path (`clean_html`) vs trafilatura alone on the same devset pages, one core
           (--html-no-second-opinion: without the text cleaner's second opinion, HtmlConfig.second_opinion)
  load     the DuckDB load alone: `rebuild` (no marts) of a copy of a loaded lake (--loaded), with
           its time, CPU time, peak RSS and a digest of the derived tables (to compare settings)
  marts    bench/marts.py (the marts' own benchmark over synthetic articles), when present
  peer     datatrove (bench/peer_datatrove.py in bench/.venv-datatrove) on the same corpus

For each stage: docs/s, MB/s (bytes of input), peak RSS of the whole process tree
(the process and all its children, polled every 0.1 s) and, for `run`, the share of
wall time not spent in document work (wall − Σ in-task seconds / workers, from the
run's step_stats). Results also go to <out>/results.json.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import psutil  # noqa: E402
from monitor import TreeMonitor  # noqa: E402
from warmup import compile_rules, warm_up_text_cleaner  # noqa: E402

DEVSET = REPO.parent / "shared" / "devset"
VENV_BIN = Path(sys.executable).parent
PEER_PYTHON = HERE / ".venv-datatrove" / "bin" / "python"


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))


def fmt_rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"


def report(results: dict, name: str, **fields) -> dict:
    results[name] = fields
    shown = ", ".join(f"{k}={v:,.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in fields.items())
    print(f"[{name}] {shown}", flush=True)
    return fields


# --------------------------------------------------------------------------
# stage: the cleaner alone, one core
# --------------------------------------------------------------------------
def stage_cleaner(corpus: Path, results: dict, max_docs: int, seed: int) -> None:
    from tasks.clean_text import TextCleanConfig, clean_text
    from tasks.formats import ReadConfig, read_source
    from tasks.records import RawDoc, SourceFile

    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})   # one core
    files = corpus_files(corpus)
    random.Random(seed).shuffle(files)
    files = files[:max_docs]
    docs: list[RawDoc] = []
    raw_bytes = 0
    t0 = time.perf_counter()
    for path in files:
        st = path.stat()
        raw_bytes += st.st_size
        sf = SourceFile(str(path), str(corpus), path.relative_to(corpus).as_posix(), st.st_size, st.st_mtime_ns,
                        path.parent.name)
        docs.extend(d for d in read_source(sf, ReadConfig()) if isinstance(d, RawDoc) and d.format == "text")
    read_s = time.perf_counter() - t0
    report(results, "read_source (1 core)", files=len(files), seconds=read_s,
           docs_per_s=len(files) / read_s, mb_per_s=raw_bytes / 1e6 / read_s)

    text_bytes = sum(len(d.content.encode("utf-8")) for d in docs)
    cfg = TextCleanConfig()
    for d in docs[:50]:   # warm-up: rule tables, regexes, lazy imports
        clean_text(d.content, cfg)
    compile_rules()
    per_doc = []
    t0 = time.perf_counter()
    for d in docs:
        t = time.perf_counter()
        clean_text(d.content, cfg)
        per_doc.append(time.perf_counter() - t)
    clean_s = time.perf_counter() - t0
    per_doc.sort()
    report(results, "cleaner (1 core)", docs=len(docs), seconds=clean_s, docs_per_s=len(docs) / clean_s,
           mb_per_s=text_bytes / 1e6 / clean_s, avg_kb=text_bytes / len(docs) / 1e3,
           median_ms=1e3 * statistics.median(per_doc), p99_ms=1e3 * per_doc[int(0.99 * (len(per_doc) - 1))])

    from tasks.process import ProcessConfig, process_document

    pcfg = ProcessConfig.default()
    t0 = time.perf_counter()
    for d in docs:
        process_document(d, pcfg)
    proc_s = time.perf_counter() - t0
    report(results, "process_document (1 core)", docs=len(docs), seconds=proc_s, docs_per_s=len(docs) / proc_s,
           mb_per_s=text_bytes / 1e6 / proc_s)


# --------------------------------------------------------------------------
# stages: news-etl run end to end, then the no-op run
# --------------------------------------------------------------------------
def _cli_run(corpus: Path, data: Path, env: dict, log: Path) -> tuple[float, float, int, dict, dict]:
    cmd = [str(VENV_BIN / "news-etl"), "run", "--input", str(corpus), "--data-dir", str(data)]
    server_before = _server_cpu_s()
    with log.open("w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        with TreeMonitor(proc.pid, timeline=log.with_suffix(".rss.tsv")) as mon:
            code = proc.wait()
        wall = time.perf_counter() - t0
    cpu = {k: round(v, 1) for k, v in sorted(mon.role_cpu_s().items())}
    if server_before is not None:   # the dedicated server is not in the run's process tree
        cpu["prefect server"] = round(_server_cpu_s() - server_before, 1)
    with log.open("a") as out:   # who held the memory at the peak, and each process's own peak
        out.write(f"\n# peak RSS {mon.peak_mb:,.0f} MB:\n")
        out.writelines(f"#   {rss / 1e6:8,.0f} MB  pid {pid}  {cmd}\n" for pid, cmd, rss in mon.peak_detail)
        out.write("# each process's own peak:\n")
        out.writelines(f"#   {rss / 1e6:8,.0f} MB  pid {pid}  {cmd}\n"
                       for pid, (cmd, rss) in sorted(mon.process_peaks.items(), key=lambda kv: -kv[1][1]))
    return wall, mon.peak_mb, code, mon.role_peaks_mb(), cpu


def _server_cpu_s() -> float | None:
    """CPU seconds so far of the dedicated Prefect server and its children (None without one)."""
    if _SERVER["pid"] is None:
        return None
    try:
        root = psutil.Process(_SERVER["pid"])
        return sum(c.user + c.system for c in (p.cpu_times() for p in [root] + root.children(recursive=True)))
    except psutil.NoSuchProcess:
        return None


_SERVER: dict = {"pid": None}   # set by prefect_server
_PHASES = re.compile(r"phases \(wall\): (.+)")


def _run_phases(log: Path) -> dict[str, float]:
    """The flow's phase wall times, from the run summary the CLI printed ("phases (wall): chunks 74.6 s, ...")."""
    found = _PHASES.findall(log.read_text(encoding="utf-8", errors="replace"))
    if not found:
        return {}
    return {name: float(v) for name, v in (part.rsplit(" ", 2)[:2] for part in found[-1].split(", "))}


def _run_facts(data: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        run_id, files_seen, files_new, articles = con.execute(
            "select run_id, files_seen, files_new, articles_written from runs order by run_id desc limit 1").fetchone()
        steps = dict(con.execute("select step, seconds from step_stats where run_id = ?", [run_id]).fetchall())
    finally:
        con.close()
    return {"run_id": run_id, "files_seen": files_seen, "files_new": files_new, "articles": articles, "steps": steps}


def _last_run(results: dict) -> dict | None:
    return next((v for k, v in results.items() if k.startswith("news-etl run (end to end)")), None)


def _prefect_mode() -> str:
    return " (dedicated prefect server)" if os.environ.get("PREFECT_API_URL") else ""


def evict_from_page_cache(corpus: Path, results: dict) -> None:
    """Drop the corpus's pages from the page cache (clean pages only, which a corpus read before has)."""
    for p in corpus_files(corpus):
        fd = os.open(p, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    results["cold_cache"] = True


def stage_run(corpus: Path, out: Path, results: dict, workers: int) -> Path:
    import shutil

    data = out / "data"
    shutil.rmtree(data, ignore_errors=True)
    env = os.environ | {"PREFECT_HOME": str(out / ".prefect"), "NEWS_ETL_WORKERS": str(workers)}
    files = corpus_files(corpus)
    n_bytes = sum(p.stat().st_size for p in files)
    wall, peak, code, role_peaks, role_cpu = _cli_run(corpus, data, env, out / "run.log")
    if code != 0:
        print(f"[run] news-etl run exited {code}; see {out / 'run.log'}", flush=True)
    facts = _run_facts(data)
    in_task = sum(v for k, v in facts["steps"].items() if k in ("read", "clean", "build"))
    report(results, "news-etl run (end to end)" + _prefect_mode(), files=len(files), articles=facts["articles"], exit=code,
           seconds=wall, docs_per_s=len(files) / wall, mb_per_s=n_bytes / 1e6 / wall, peak_rss_mb=peak,
           peak_rss_mb_by_process={k: round(v) for k, v in role_peaks.items()}, in_task_s=in_task, workers=workers,
           not_document_work_share=max(0.0, 1 - in_task / (wall * workers)),
           step_seconds={k: round(v, 1) for k, v in facts["steps"].items()},
           phase_seconds=_run_phases(out / "run.log"), cpu_seconds_by_role=role_cpu)
    return data


def stage_noop(corpus: Path, out: Path, results: dict, data: Path | None = None, runs: int = 1) -> None:
    """`news-etl run` again over a loaded data dir (<out>/data after `run`, or --loaded), `runs` times.

    Each run's wall time and CPU time (user + sys of the whole process tree: the CLI, its discovery
    child, a temporary Prefect server) and whether it reused the last passed checks; the median over
    the runs. A run right after a copy of the data dir checks again (the file's inode changed): warm
    up once on a fresh copy, or count from the second run.
    """
    import resource

    data = data or out / "data"
    env = os.environ | {"PREFECT_HOME": str(out / ".prefect")}
    walls, cpus = [], []
    for i in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, peak, code, role_peaks, _ = _cli_run(corpus, data, env, out / "noop.log")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        facts = _run_facts(data)
        reused = "warehouse unchanged since run" in (out / "noop.log").read_text(encoding="utf-8", errors="replace")
        walls.append(wall)
        cpus.append(cpu)
        report(results, "no-op incremental run" + _prefect_mode() + (f" #{i + 1}" if runs > 1 else ""),
               files_seen=facts["files_seen"], files_new=facts["files_new"], exit=code, seconds=wall, cpu_s=cpu,
               checks_reused=reused, loadavg=os.getloadavg()[0], peak_rss_mb=peak,
               peak_rss_mb_by_process={k: round(v) for k, v in role_peaks.items()},
               step_seconds={k: round(v, 2) for k, v in facts["steps"].items()})
    if runs > 1:
        report(results, "no-op incremental run" + _prefect_mode() + f" (median of {runs})",
               seconds=statistics.median(walls), cpu_s=statistics.median(cpus), min_s=min(walls), max_s=max(walls))


# --------------------------------------------------------------------------
# stage: the DuckDB load alone (`news-etl rebuild` of a copy of a loaded lake, no marts)
# --------------------------------------------------------------------------
LOAD_SCRIPT = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from warehouse.rebuild import rebuild_locked
from warehouse.loader import connect
data = Path(sys.argv[1])
result = rebuild_locked(data, analysis=False)
with connect(data, read_only=True) as con:
    # a digest of what the load derives (versions, duplicate and near-duplicate groups, manifest, site memory),
    # to compare loads made under different settings
    digest = con.execute(\"\"\"select (select count(*) || ':' || sum(hash(doc_id, dup_of, near_dup_group, run_id)) from articles)
        || '/' || (select count(*) || ':' || sum(hash(doc_id, version)) from article_versions)
        || '/' || (select count(*) || ':' || sum(hash(source_path, sha256, status)) from manifest)
        || '/' || (select count(*) || ':' || sum(hash(site, fingerprint, n_pages)) from site_memory)\"\"\").fetchone()[0]
print(json.dumps({"runs": result.runs, "articles": result.articles, "digest": digest}))
"""


def stage_load(loaded: Path, out: Path, results: dict) -> None:
    """Rebuild the warehouse of a copy of `loaded`'s lake: every committed run through `load_parts`,
    the same code and SQL as a run's load, under the NEWS_ETL_DUCKDB_* settings of the environment."""
    import shutil

    data = out / "load-data"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    shutil.copytree(loaded / "lake", data / "lake", ignore=shutil.ignore_patterns("_staging"))
    cmd = [sys.executable, "-c", LOAD_SCRIPT, str(data), str(REPO)]
    log = out / "load.log"
    t0 = time.perf_counter()
    answer = out / "load.out"
    with log.open("w") as err, answer.open("w") as stdout:   # a file, not a pipe nobody reads while it runs
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=err, text=True, cwd=REPO)
        with TreeMonitor(proc.pid, timeline=log.with_suffix(".rss.tsv")) as mon:
            _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    line = answer.read_text().strip().splitlines()
    facts = json.loads(line[-1]) if line and os.waitstatus_to_exitcode(status) == 0 else {}
    settings = {k: v for k, v in os.environ.items() if k.startswith("NEWS_ETL_DUCKDB")}
    report(results, f"load alone (rebuild of {loaded}){' ' + str(settings) if settings else ''}",
           exit=os.waitstatus_to_exitcode(status), runs=facts.get("runs"), articles=facts.get("articles"),
           seconds=wall, cpu_s=usage.ru_utime + usage.ru_stime, peak_rss_mb=mon.peak_mb,
           digest=facts.get("digest"))
    shutil.rmtree(data, ignore_errors=True)


# --------------------------------------------------------------------------
# stage: HTML path vs trafilatura alone
# --------------------------------------------------------------------------
def stage_html(results: dict, pages: int, seed: int, second_opinion: bool = True) -> None:
    import trafilatura

    from tasks.clean_html import HtmlConfig, clean_html
    from tasks.formats import ReadConfig, read_source
    from tasks.records import RawDoc, SourceFile

    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})
    paths = sorted(DEVSET.glob("*.html"))
    random.Random(seed).shuffle(paths)
    docs = []
    for path in paths[:pages]:
        st = path.stat()
        sf = SourceFile(str(path), str(DEVSET), path.name, st.st_size, st.st_mtime_ns, "devset")
        docs.extend(d for d in read_source(sf, ReadConfig()) if isinstance(d, RawDoc) and d.format == "html")
    n_bytes = sum(len(d.content.encode("utf-8")) for d in docs)
    cfg = HtmlConfig(second_opinion=second_opinion)
    common = dict(output_format="txt", include_comments=False, deduplicate=False, with_metadata=False,
                  include_tables=cfg.include_tables, include_images=False, include_links=False,
                  include_formatting=False, favor_precision=cfg.favor_precision, favor_recall=cfg.favor_recall)
    for d in docs[:5]:   # warm-up both (imports, the extraction child)
        trafilatura.extract(d.content, **common)
        clean_html(d, cfg)
    compile_rules()       # the parent's text rules
    if second_opinion:
        warm_up_text_cleaner()      # (the second opinion's text cleaner: date tables, Unicode tables)
    # page by page, the two one after the other, in alternating order: this machine's speed drifts
    # by 10-20 % within seconds, which two back-to-back loops of ~4 s each turn into a ratio error
    def timed(fn, *args, **kwargs) -> float:
        t0 = time.perf_counter()
        fn(*args, **kwargs)
        return time.perf_counter() - t0

    alone = ours = 0.0
    for i, d in enumerate(docs):
        if i % 2:
            ours += timed(clean_html, d, cfg)
            alone += timed(trafilatura.extract, d.content, **common)
        else:
            alone += timed(trafilatura.extract, d.content, **common)
            ours += timed(clean_html, d, cfg)
    report(results, "trafilatura alone (1 core)", pages=len(docs), seconds=alone, docs_per_s=len(docs) / alone,
           mb_per_s=n_bytes / 1e6 / alone)
    report(results, "HTML path clean_html (1 core)", pages=len(docs), seconds=ours, docs_per_s=len(docs) / ours,
           mb_per_s=n_bytes / 1e6 / ours, ratio_to_trafilatura=ours / alone, isolate=cfg.isolate,
           second_opinion=cfg.second_opinion)


# --------------------------------------------------------------------------
# stages: marts (the marts' own benchmark), peer
# --------------------------------------------------------------------------
def stage_marts(results: dict, articles: int, out: Path) -> None:
    script = HERE / "marts.py"
    if not script.exists():
        print("[marts] bench/marts.py is not there: skipped", flush=True)
        return
    cmd = [sys.executable, str(script), "--articles", str(articles)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO)
    with TreeMonitor(proc.pid) as mon:
        text, _ = proc.communicate()
    (out / "marts.log").write_text(text)
    print(text, flush=True)
    report(results, "marts benchmark", articles=articles, exit=proc.returncode, seconds=time.perf_counter() - t0,
           peak_rss_mb=mon.peak_mb)


def stage_peer(corpus: Path, out: Path, results: dict, workers: int) -> None:
    import shutil

    if not PEER_PYTHON.exists():
        print("[peer] run `bash bench/peer_setup.sh` first: skipped", flush=True)
        return
    peer_out = out / "peer"
    shutil.rmtree(peer_out, ignore_errors=True)
    cmd = [str(PEER_PYTHON), str(HERE / "peer_datatrove.py"), str(corpus), "--out", str(peer_out),
           "--workers", str(workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    (out / "peer.log").write_text(proc.stdout + proc.stderr)
    line = next((ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith("{")), None)
    if proc.returncode or line is None:
        print(f"[peer] failed ({proc.returncode}); see {out / 'peer.log'}", flush=True)
        return
    peer = json.loads(line)
    ours = _last_run(results)
    fields = dict(files=peer["files"], kept=peer["kept"], seconds=peer["seconds"], docs_per_s=peer["docs_per_s"],
                  mb_per_s=peer["mb_per_s"], peak_rss_mb=peer["peak_rss_mb"])
    if ours:
        fields["news_etl_ratio"] = ours["docs_per_s"] / peer["docs_per_s"]
    report(results, "datatrove peer (read → line filters → Parquet)", **fields)


@contextlib.contextmanager
def prefect_server(out: Path):
    """A dedicated `prefect server start` on a free loopback port (how a deployment runs), stopped at the end."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = os.environ | {"PREFECT_HOME": str(out / ".prefect-server"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                        "DO_NOT_TRACK": "1"}
    log = (out / "prefect-server.log").open("w")
    proc = subprocess.Popen([str(VENV_BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    _SERVER["pid"] = proc.pid
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"prefect server did not start; see {out / 'prefect-server.log'}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=HERE / "out" / "c10k")
    ap.add_argument("--files", type=int, default=10_000, help="size of the corpus generated when --corpus is missing")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None, help="work folder (default: <corpus>-bench)")
    ap.add_argument("--stages", default="cleaner,run,noop,html,peer")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--cleaner-docs", type=int, default=10_000)
    ap.add_argument("--html-pages", type=int, default=200)
    ap.add_argument("--html-no-second-opinion", action="store_true",
                    help="the html stage without the text cleaner's second opinion (HtmlConfig.second_opinion)")
    ap.add_argument("--loaded", type=Path, default=None,
                    help="for `load`: a data dir whose lake is copied and loaded again; for `noop`: the loaded data "
                         "dir the no-op runs go to (each adds its run to it) (default: <out>/data)")
    ap.add_argument("--noop-runs", type=int, default=1, help="no-op runs in a row (their median is printed too)")
    ap.add_argument("--marts-articles", type=int, default=1_000_000)
    ap.add_argument("--cold", action="store_true",
                    help="evict the corpus from the page cache before `run` and `peer` (posix_fadvise DONTNEED), "
                         "as for a backlog written long before the run; without it the cache is as it happens to be")
    ap.add_argument("--prefect-server", action="store_true",
                    help="run and noop against a dedicated local Prefect server (PREFECT_API_URL) instead of "
                         "the CLI's temporary one, as a deployment would")
    args = ap.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    out = args.out or args.corpus.with_name(args.corpus.name + "-bench")
    out.mkdir(parents=True, exist_ok=True)
    needs_corpus = {"cleaner", "run", "noop", "peer"} & set(stages)
    if needs_corpus and not args.corpus.exists():
        from generate import Mix, generate
        print(f"generating {args.files:,} files into {args.corpus} ...", flush=True)
        info = generate(args.corpus, args.files, args.seed, 240, Mix(), progress=True)
        print(json.dumps(info, ensure_ascii=False), flush=True)
    # stages run in separate invocations add up in one results.json (the peer's ratio uses the last run's figure)
    previous = out / "results.json"
    results: dict = json.loads(previous.read_text()) if previous.exists() and not args.stages.startswith("_") else {}
    results.update({"corpus": str(args.corpus), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "loadavg_at_start": os.getloadavg()})
    if needs_corpus:
        meta = args.corpus / ".corpus.json"
        if meta.exists():
            results["corpus_info"] = json.loads(meta.read_text())
    stack = contextlib.ExitStack()
    if args.prefect_server and {"run", "noop"} & set(stages):
        os.environ["PREFECT_API_URL"] = stack.enter_context(prefect_server(out))
        results["prefect"] = "dedicated server"
    else:
        results["prefect"] = os.environ.get("PREFECT_API_URL") or "the CLI's temporary server"
    with stack:
        for stage in stages:
            if run_stage(stage, args, out, results) == "child":
                return 0
    finish(args, out, results)
    return 0


def run_stage(stage: str, args, out: Path, results: dict) -> str | None:
    if stage == "cleaner":
        # in a child process, so pinning it to one core leaves the other stages alone
        subprocess.run([sys.executable, __file__, "--corpus", str(args.corpus), "--out", str(out),
                        "--stages", "_cleaner", "--cleaner-docs", str(args.cleaner_docs)], check=False)
        results.update(json.loads((out / "cleaner.json").read_text()) if (out / "cleaner.json").exists() else {})
    elif stage == "_cleaner":
        part: dict = {}
        stage_cleaner(args.corpus, part, args.cleaner_docs, args.seed)
        (out / "cleaner.json").write_text(json.dumps(part, indent=1))
        return "child"
    elif stage == "run":
        if args.cold:
            evict_from_page_cache(args.corpus, results)
        stage_run(args.corpus, out, results, args.workers)
    elif stage == "noop":
        stage_noop(args.corpus, out, results, args.loaded, args.noop_runs)
    elif stage == "load":
        stage_load(args.loaded or out / "data", out, results)
    elif stage == "html":
        subprocess.run([sys.executable, __file__, "--out", str(out), "--stages", "_html",
                        "--html-pages", str(args.html_pages),
                        *(["--html-no-second-opinion"] if args.html_no_second_opinion else [])], check=False)
        results.update(json.loads((out / "html.json").read_text()) if (out / "html.json").exists() else {})
    elif stage == "_html":
        part = {}
        stage_html(part, args.html_pages, args.seed, not args.html_no_second_opinion)
        (out / "html.json").write_text(json.dumps(part, indent=1))
        return "child"
    elif stage == "marts":
        stage_marts(results, args.marts_articles, out)
    elif stage == "peer":
        if args.cold:
            evict_from_page_cache(args.corpus, results)
        stage_peer(args.corpus, out, results, args.workers)
    else:
        raise SystemExit(f"unknown stage {stage}")
    return None


def finish(args, out: Path, results: dict) -> None:
    results["loadavg_at_end"] = os.getloadavg()
    (out / "results.json").write_text(json.dumps(results, indent=1, default=str))
    cleaner = results.get("cleaner (1 core)")
    run = _last_run(results)
    if cleaner and run:
        share = run["docs_per_s"] / (cleaner["docs_per_s"] * args.workers)
        print(f"end to end / cleaner on {args.workers} cores: {share:.0%} (target ≥ 70%)", flush=True)
    print(f"results: {out / 'results.json'}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
