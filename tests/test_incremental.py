"""Incremental runs through real flow runs: a no-op run reads nothing, a touched-but-identical file
is unchanged, a changed file becomes a new version, the raw files are never modified."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES_RAW
from tests.conftest import query_warehouse as query


def raw_state(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.iterdir())}


def step(summary: dict, data: Path, name: str) -> tuple:
    return query(data, f"select seen, kept, dropped_by_reason from step_stats "
                       f"where run_id = '{summary['run_id']}' and step = '{name}'")[0]


def accounted(summary: dict) -> bool:
    return (summary["files_loaded"] + summary["files_unchanged"] + summary["files_rejected"] == summary["files_seen"]
            and summary["checks"]["files_accounted_for"] and all(summary["checks"].values()))


@pytest.fixture(scope="module")
def landing_and_data(tmp_path_factory, prefect_harness):
    base = tmp_path_factory.mktemp("incremental")
    landing = base / "landing"
    landing.mkdir()
    for f in sorted(SAMPLES_RAW.iterdir())[:3]:
        shutil.copy2(f, landing / f.name)
    return landing, base / "data"


def test_incremental_runs(landing_and_data):
    from flows.etl import news_etl

    landing, data = landing_and_data
    names = sorted(p.name for p in landing.iterdir())

    def run() -> dict:
        before = raw_state(landing)
        summary = news_etl(inputs=[str(landing)], data_dir=str(data))
        assert raw_state(landing) == before, "a run changed a raw file"
        assert summary["status"] == "completed" and accounted(summary), summary
        return summary

    first = run()
    assert (first["files_seen"], first["files_new"], first["files_loaded"], first["articles_written"]) == (3, 3, 3, 3)
    body0 = query(data, f"select body from articles where source_path = '{names[0]}'")[0][0]

    # A no-op run is a scan and a lookup: to prove nothing is read, change a file's bytes but keep
    # its size and mtime; a run that read it would load a new version.
    path0 = landing / names[0]
    original, st = path0.read_bytes(), path0.stat()
    path0.write_bytes(original.replace("ال".encode(), "لا".encode(), 1))
    os.utime(path0, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = run()
    assert (second["files_new"], second["files_unchanged"], second["articles_written"]) == (0, 3, 0)
    assert query(data, f"select coalesce(sum(seen), 0) from step_stats "
                       f"where run_id = '{second['run_id']}' and step = 'read'") == [(0,)]
    assert query(data, f"select body from articles where source_path = '{names[0]}'")[0][0] == body0
    path0.write_bytes(original)
    os.utime(path0, ns=(st.st_atime_ns, st.st_mtime_ns))

    # touched but identical: read once (its hash matches), unchanged, and the manifest takes the new mtime
    path1 = landing / names[1]
    os.utime(path1, ns=(path1.stat().st_atime_ns, path1.stat().st_mtime_ns + 5_000_000_000))
    third = run()
    assert (third["files_new"], third["files_unchanged"], third["files_loaded"], third["articles_written"]) == (1, 3, 0, 0)
    seen, kept, dropped = step(third, data, "read")
    assert (seen, dict(dropped)) == (1, {"unchanged_content": 1})
    assert query(data, f"select mtime_ns from manifest where source_path = '{names[1]}'")[0][0] == path1.stat().st_mtime_ns
    assert query(data, "select count(*) from article_versions")[0][0] == 3

    # changed: a new version; history kept, `articles` shows the current one; the touched file is not read again
    path2 = landing / names[2]
    path2.write_text(path2.read_text(encoding="utf-8").rstrip("\n")
                     + "\n\nوأضاف المتحدث أن التحقيقات ما زالت جارية لمعرفة ملابسات الحادث بالكامل.\n", encoding="utf-8")
    fourth = run()
    assert (fourth["files_new"], fourth["files_loaded"], fourth["articles_written"]) == (1, 1, 1)
    assert query(data, f"select version, is_current from article_history where source_path = '{names[2]}' order by 1") == [
        (1, False), (2, True)]
    assert query(data, f"select version, body like '%ملابسات الحادث%' from articles where source_path = '{names[2]}'") == [
        (2, True)]
    assert query(data, "select count(*), count(distinct doc_id) from articles") == [(3, 3)]
    assert query(data, "select count(*) from runs") == [(4,)]
    # step stats per run and step, also in the summary
    assert {r[0] for r in query(data, f"select step from step_stats where run_id = '{fourth['run_id']}'")} >= {
        "discover", "read", "clean", "build"}
    assert "step discover:" in fourth["text"] and "step clean:" in fourth["text"]


def test_discovery_decides_from_the_manifest_and_links_without_reading(tmp_path):
    from tasks.discover import discover, discover_rows

    landing = tmp_path / "landing"
    (landing / "site").mkdir(parents=True)
    a, b, c = landing / "site" / "a.txt", landing / "site" / "b.txt", landing / "site" / "c.txt"
    for f in (a, b, c):
        f.write_text(f"text of {f.name}\n", encoding="utf-8")
    sidecar = landing / "site" / "c.txt.meta.json"
    sidecar.write_text('{"url": "https://example.com/c"}', encoding="utf-8")
    os.utime(sidecar, ns=(1, c.stat().st_mtime_ns - 1_000_000_000))    # written before its file
    (tmp_path / "secret.txt").write_text("outside\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", landing / "site" / "outside.txt")
    os.symlink(landing / "site" / "missing.txt", landing / "site" / "broken.txt")
    os.symlink(landing / "site" / "loop2.txt", landing / "site" / "loop1.txt")
    os.symlink(landing / "site" / "loop1.txt", landing / "site" / "loop2.txt")
    os.mkfifo(landing / "site" / "pipe.txt")

    first = discover([str(landing)], {})
    assert sorted(sf.rel_path for sf in first.todo) == ["site/a.txt", "site/b.txt", "site/c.txt"]
    assert {(r.source_path, r.reason) for r in first.rejects} == {
        ("site/outside.txt", "symlink_outside_root"), ("site/broken.txt", "unreadable"),
        ("site/loop1.txt", "unreadable"), ("site/loop2.txt", "unreadable"), ("site/pipe.txt", "unreadable")}
    assert first.seen == 8 and first.stats.seen == 8
    rejects, files = discover_rows(first, "r1", None)
    assert len(rejects) == 5 and {f["status"] for f in files} == {"rejected"} and len(files) == 5

    # the manifest after that run: every file with its size, mtime (the later of file and sidecar) and hash
    manifest = {sf.rel_path: (sf.size, sf.mtime_ns, f"sha-{sf.rel_path}") for sf in first.todo}
    manifest |= {f["source_path"]: (f["size"], f["mtime_ns"], None) for f in files}
    assert discover([str(landing)], manifest).seen == len(discover([str(landing)], manifest).unchanged) == 8

    os.utime(a, ns=(1, a.stat().st_mtime_ns + 10_000_000_000))      # touched: read, compared by hash
    b.write_text("text of b.txt, edited\n", encoding="utf-8")       # changed size
    os.utime(sidecar, ns=(1, c.stat().st_mtime_ns + 10_000_000_000))  # metadata edited: a new version
    found = {sf.rel_path: sf.prev_sha256 for sf in discover([str(landing)], manifest).todo}
    assert found == {"site/a.txt": "sha-site/a.txt", "site/b.txt": "sha-site/b.txt", "site/c.txt": None}


SLOGAN = "Harbour Gazette, the voice of the coast since 1901"        # no rule knows it: only the site's pages do
TOWNS = ("Northport", "Eastwick", "Southend", "Westfield")


def _story(k: int) -> list[str]:
    town = TOWNS[k]
    return [f"The council of {town} voted on Tuesday to close the old harbour bridge to cars from March, after "
            f"engineers found cracks in two of its supports, the mayor of {town} said.",
            f"Buses and bicycles may still cross it in {town}, and a ferry will run every twenty minutes while the "
            "repairs go on, which the engineers expect to take most of the coming year.",
            f"Residents of {town} who drive to work will have to use the ring road, where the council plans "
            "extra lanes at the two busiest junctions before the closure begins."]


def _text_page(k: int) -> str:
    story = _story(k)
    return "\n".join([f"Bridge closed in {TOWNS[k]} - Harbour Gazette", "Home", "Local", "Sport",
                      f"Bridge closed in {TOWNS[k]}", story[0], SLOGAN, *story[1:], "© Harbour Gazette"]) + "\n"


def _html_page(k: int) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in _story(k)[:1] + [SLOGAN] + _story(k)[1:])
    return (f"<html><head><title>Bridge closed in {TOWNS[k]} - Harbour Courier</title></head><body>"
            f"<nav><ul><li><a href='/'>Home</a></li><li><a href='/local'>Local</a></li></ul></nav>"
            f"<article><h1>Bridge closed in {TOWNS[k]}</h1>{paragraphs}</article>"
            f"<footer><p>© Harbour Courier</p></footer></body></html>")


def test_the_site_memory_learns_across_runs_from_text_and_html_pages(tmp_path, prefect_harness):
    """Run 1 loads three pages of each site (a text site and an HTML site, each page printing the
    site's slogan once); run 2 loads a fourth page of each: its slogan is removed as `repeated_on_site`,
    learned from the warehouse's memory of run 1 (HTML pages teach it through the text cleaner's
    second opinion, on by default)."""
    from flows.etl import news_etl

    landing, data = tmp_path / "landing", tmp_path / "data"
    (landing / "gazette").mkdir(parents=True)
    (landing / "courier").mkdir()
    for k in range(3):
        (landing / "gazette" / f"story{k}.txt").write_text(_text_page(k), encoding="utf-8")
        (landing / "courier" / f"story{k}.html").write_text(_html_page(k), encoding="utf-8")
    first = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert first["status"] == "completed" and first["articles_written"] == 6
    assert query(data, "select count(*) from removed_lines where reason = 'repeated_on_site'") == [(0,)]
    assert query(data, "select count(*) from articles where body like '%voice of the coast%'") == [(6,)]
    assert {s for (s,) in query(data, "select distinct site from site_memory")} >= {"gazette", "courier"}

    (landing / "gazette" / "story3.txt").write_text(_text_page(3), encoding="utf-8")
    (landing / "courier" / "story3.html").write_text(_html_page(3), encoding="utf-8")
    second = news_etl(inputs=[str(landing)], data_dir=str(data))
    assert second["status"] == "completed" and second["articles_written"] == 2
    removed = query(data, "select a.source_path, r.reason from removed_lines r join articles a using (doc_id) "
                          f"where r.text = '{SLOGAN}' and a.source_path like '%story3%' order by 1")
    assert removed == [("courier/story3.html", "repeated_on_site"), ("gazette/story3.txt", "repeated_on_site")]
    fourth_pages = query(data, "select source_path, body like '%voice of the coast%', body like '%Westfield%' "
                               "from articles where source_path like '%story3%' order by 1")
    assert fourth_pages == [("courier/story3.html", False, True), ("gazette/story3.txt", False, True)]
