"""The peer: a datatrove pipeline doing the comparable job on the same corpus.

    bash bench/peer_setup.sh                     # once: datatrove in bench/.venv-datatrove
    bench/.venv-datatrove/bin/python bench/peer_datatrove.py CORPUS --out DIR [--workers 2]

read each text file as one document → C4-style line filters (terminal punctuation,
≥ 3 words a line, javascript / cookie-policy lines; no sentence splitting, which
would need an NLTK download) → a minimum-length filter → Parquet (datatrove's
ParquetWriter). It runs in its own venv because datatrove's processing extra pins
trafilatura<1.12. Prints one JSON line: docs, kept, seconds, docs/s, MB/s, peak RSS.

It does less than news-etl (no sniffing beyond gzip, no encodings, no language,
dates, fields, dedup or DuckDB load): the ratio printed by bench/run.py is
news-etl's throughput over this one.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from monitor import TreeMonitor  # noqa: E402  (stdlib + psutil only)

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.filters import C4QualityFilter, LambdaFilter  # noqa: E402
from datatrove.pipeline.readers.base import BaseDiskReader  # noqa: E402
from datatrove.pipeline.writers import ParquetWriter  # noqa: E402


class TextFileReader(BaseDiskReader):
    """One raw file, one document: the text dump as it is (gzip opened, undecodable bytes replaced)."""

    name = "📄 Text files"

    def read_file(self, filepath: str):
        with self.data_folder.open(filepath, "rb") as fh:
            raw = fh.read()
        if raw[:2] == b"\x1f\x8b":
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError):
                return
        text = raw.decode("utf-8", errors="replace")
        if text.strip():
            document = self.get_document_from_dict({"text": text, "id": filepath}, filepath, 0)
            if document:
                yield document


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tasks", type=int, default=0, help="datatrove tasks (default: 4 per worker)")
    args = ap.parse_args(argv)

    files = [p for p in args.corpus.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))]
    n_bytes = sum(p.stat().st_size for p in files)
    tasks = args.tasks or 4 * args.workers
    pipeline = [
        TextFileReader(str(args.corpus), glob_pattern="*/*", recursive=True),   # <site>/<file>, as generated
        C4QualityFilter(min_num_sentences=-1, filter_curly_bracket=False, filter_lorem_ipsum=False),
        LambdaFilter(lambda doc: len(doc.text) >= 200),
        ParquetWriter(str(args.out / "parquet")),
    ]
    executor = LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=args.workers,
                                     logging_dir=str(args.out / "logs"))
    with TreeMonitor(os.getpid()) as mon:
        t0 = time.perf_counter()
        stats = executor.run()
        seconds = time.perf_counter() - t0
    kept = 0
    try:
        import pyarrow.parquet as pq
        kept = sum(pq.ParquetFile(p).metadata.num_rows for p in (args.out / "parquet").glob("*.parquet"))
    except Exception:
        pass
    print(json.dumps({"peer": "datatrove", "files": len(files), "bytes": n_bytes, "kept": kept,
                      "seconds": round(seconds, 2), "docs_per_s": round(len(files) / seconds, 1),
                      "mb_per_s": round(n_bytes / 1e6 / seconds, 2), "peak_rss_mb": round(mon.peak_mb),
                      "workers": args.workers, "tasks": tasks}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
