"""A held-out check of the snippet track: pages of the devset's sources that the devset does not hold.

    .venv/bin/python bench/heldout.py                 # build bench/out/heldout once (PyPI), then score
    .venv/bin/python bench/heldout.py --show-errors   # ... and list each snippet the cleaner gets wrong

The devset's snippet track comes from trafilatura's evaluation set. trafilatura's source
distribution 1.0.0 (PyPI) caches 110 of that set's pages in tests/cache; 75 of them are not in
../shared/devset, and bench/heldout_snippets.json holds their snippets (copied from trafilatura's
tests/evaldata.py, Apache-2.0). The build downloads that sdist with pip (the one network access:
PyPI, once), dumps each page the way the devset's .txt dumps were made (the <title> line, then a
line per block element: tasks/clean_html.py text_dump), and writes a devset-shaped folder
(<id>.txt, <id>.html, <id>.snippets.json, manifest.jsonl, and a copy of the devset's score.py)
under bench/out/heldout, which git ignores: the pages stay their publishers', out of the repository.
Scoring is bench/quality.py's, on that folder.

Use it to see whether a rule made for the devset generalizes; never tune to these pages either
(write the rule a case stands for, with its test).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality  # noqa: E402  (bench/quality.py)

SNIPPETS = Path(__file__).resolve().parent / "heldout_snippets.json"
OUT = ROOT / "bench" / "out" / "heldout"


def build(out: Path, devset: Path) -> int:
    """Write the held-out folder; returns the number of pages."""
    import lxml.html

    from tasks.clean_html import text_dump
    from tasks.formats import decode_bytes, declared_charset
    from tasks.language import detect_language

    spec = json.loads(SNIPPETS.read_text(encoding="utf-8"))
    dl = out / "sdist"
    dl.mkdir(parents=True, exist_ok=True)
    name = spec["sdist"]
    archive = next(dl.glob(name.replace("==", "-") + ".tar.gz"), None)
    if archive is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        name, "-d", str(dl)], check=True)
        archive = next(dl.glob(name.replace("==", "-") + ".tar.gz"))
    rows = []
    with tarfile.open(archive) as tar:
        members = {Path(m.name).name: m for m in tar.getmembers() if "/tests/cache/" in m.name}
        for file, snippets in spec["pages"].items():
            page_id = "heldout-" + file
            if (devset / f"trafeval-{file}.txt").exists() or file not in members:
                continue        # (in the devset after all, or not in this sdist)
            raw = tar.extractfile(members[file]).read()
            decoded = decode_bytes(raw, declared_charset(raw))
            if not isinstance(decoded, tuple):
                continue
            html = decoded[0]
            tree = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
            dump = text_dump(tree) or ""
            (out / f"{page_id}.txt").write_text(dump + "\n", encoding="utf-8")
            (out / f"{page_id}.html").write_text(html, encoding="utf-8")
            (out / f"{page_id}.snippets.json").write_text(json.dumps(snippets, ensure_ascii=False), encoding="utf-8")
            lang = detect_language(dump[:5000]) or "und"
            rows.append({"id": page_id, "source": "trafilatura-eval", "language": lang, "track": "snippets",
                         "gold_type": "snippets", "html_encoding": "utf-8"})
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    shutil.copy(devset / "score.py", out / "score.py")
    return len(rows)


def show_errors(out: Path) -> None:
    """Each snippet the text cleaner gets wrong, with the line it stands on and that line's reason,
    compared as the scorer compares them (its own normalization: NFKC, casefold, spaces squeezed)."""
    from tasks.clean_text import clean_text

    norm = quality._load_score(out)._norm
    for snip_file in sorted(out.glob("*.snippets.json")):
        page_id = snip_file.name[: -len(".snippets.json")]
        snippets = json.loads(snip_file.read_text(encoding="utf-8"))
        cleaned = clean_text((out / f"{page_id}.txt").read_text(encoding="utf-8"))
        kept = norm(quality.article_text(cleaned))
        reason = {r.line_no: r.reason for r in cleaned.removed}
        for kind, group in (("missing", "with"), ("kept", "without")):
            for s in snippets[group]:
                if (norm(s) in kept) != (kind == "kept"):
                    continue
                line_no = next((n for n, line in enumerate(cleaned.lines, 1) if norm(s) in norm(line)), None)
                where = "not in the dump" if line_no is None else f"line {line_no}: {reason.get(line_no, 'kept')}"
                print(f"{page_id}\t{kind}\t{s[:60]!r}\t{where}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--devset", default=str(quality.DEVSET))
    ap.add_argument("--rebuild", action="store_true", help="write the folder again")
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args(argv)
    out, devset = Path(args.out), Path(args.devset)
    if args.rebuild or not (out / "manifest.jsonl").exists():
        out.mkdir(parents=True, exist_ok=True)
        print(f"built {build(out, devset)} held-out pages in {out}")
    code = quality.main(["--systems", "text", "--devset", str(out)])
    if args.show_errors:
        show_errors(out)
    return code


if __name__ == "__main__":
    sys.exit(main())
