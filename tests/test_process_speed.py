"""The per-document step's fast paths give exactly what the plain definitions give."""
from __future__ import annotations

import numpy as np
import pytest

from tasks.dedup import _A, _B, _PRIME, NUM_PERM, _min_hashes, _shingle_hashes, minhash_of_key
from tasks.normalize import count_words, key_tokens, line_match_keys, match_key

_MAX32 = np.uint64(0xFFFFFFFF)


def _reference_minhash(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[int]:
    # the definition: distinct shingles, (a*x + b) mod p with a division, low 32 bits, minimum
    x = np.unique(x)
    return (((np.outer(x, a) + b) % _PRIME) & _MAX32).min(axis=0).astype(np.uint32).tolist()


def test_mersenne_reduction_matches_the_modulo_at_its_edges():
    # a*x + b = 2^62 - 1: lo = p and hi = 1, the one case that needs the final subtraction;
    # also 0, 1, the largest 32-bit values and more rows than one block
    a = np.array([1 << 31, 5, (1 << 32) - 1, 1], dtype=np.uint64)
    b = np.array([(1 << 31) - 1, 0, (1 << 32) - 1, 0], dtype=np.uint64)
    x = np.array([(1 << 31) - 1, 0, 1, (1 << 32) - 1, 77] * 300, dtype=np.uint64)
    assert _min_hashes(x, a, b).tolist() == _reference_minhash(x, a, b)
    assert _min_hashes(x[:1], a, b).tolist() == _reference_minhash(x[:1], a, b)


def test_minhash_of_a_long_key_matches_the_definition():
    key = match_key(" ".join(f"word{i % 700} token{i % 13}" for i in range(3000)))
    x = _shingle_hashes(key_tokens(key))
    assert len(x) > 1000   # several blocks, repeated shingles
    assert minhash_of_key(key) == _reference_minhash(x, _A, _B)
    assert len(minhash_of_key(key)) == NUM_PERM


def test_word_count_from_the_key_tokens_agrees_for_every_code_point():
    # count_words(s, key_tokens(match_key(s))) trusts the key's tokens only when no char of s can
    # change kind in the key; checked for every BMP char (astral ones always take the slow path)
    # in the contexts that matter: inside a word, alone, next to no-space script and digits
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        for s in ("a" + c + "b", c, " " + c + " ", "中" + c + "a", "1" + c + "я", c + c, "_" + c + "_", "ก" + c):
            assert count_words(s, key_tokens(match_key(s))) == count_words(s), (hex(cp), s)


def test_word_count_from_the_key_tokens_on_pages():
    pages = ["Le président a déclaré — « c'est fini » — 12 000 personnes.",
             "Президент заявил: 123 человека, 4,5 млн рублей.", "中文新闻报道，今天下午三点。日本語のテキスト・です。",
             "كتاب مُحَمَّد ١٢٣ في الساعة", "ภาษาไทย ๑๒๓ ที่นี่", "e\u0301 \u0301 lone mark", "x_y 𝐀𝐁 😀 ½", "plain ascii, text."]
    for s in pages:
        assert count_words(s, key_tokens(match_key(s))) == count_words(s), s


def test_line_match_keys_is_match_key_line_by_line():
    # every BMP char as a line of its own and inside lines: marks that start a line (their NFKC
    # segment takes the line break before them), ASCII lines among non-ASCII ones, empty lines
    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp < 0xE000 and chr(cp) != "\n"]
    lines = chars + ["a" + c + "b" for c in chars[::7]] + ["", "  ", "Plain ASCII, line.", "\u0301e", "ك\u064e", "x\u200dy"]
    assert line_match_keys(lines) == [match_key(x) for x in lines]
    assert line_match_keys(["two\nlines", "é"]) == [match_key("two\nlines"), "e"]
    assert line_match_keys([]) == []


def _reference_match_key(s: str) -> str:
    # match_key as one regex substitution per step (a Python callback per folded char)
    from tasks import normalize as n
    t = n._tables()
    s = n._by_segments(s, t.clean_seg, n._nfkc_and_drop, {}).casefold()
    for a, b in n.ARABIC_LETTER_FOLDS:
        s = s.replace(a, b)
    s = t.fold.sub(n._fold_sub, s)
    return " ".join(t.punct.sub(" ", s).split())


def test_match_key_fast_paths_match_the_substitutions():
    from tasks import normalize as n
    fold_map = n._tables().fold_map
    # replacing distinct chars one after the other is a single mapping only if no value holds a key
    assert not any(c in fold_map for v in fold_map.values() for c in v)
    chars = [chr(cp) for cp in range(0x10000) if not 0xD800 <= cp < 0xE000]
    for i in range(0, len(chars), 97):
        block = "".join(chars[i:i + 97])
        for s in (block, "Ab " + " x".join(block) + " É.", block + " 😀 𝐀"):
            assert match_key(s) == _reference_match_key(s), (hex(i), s)
    for s in ("Le président — « c'est fini »...", "Πρόεδρος: «Όχι»!", "أَحْمَد إلى مكتبة ٢٠٢٤", "東京、大阪。", "a\u0301 ,,, b"):
        assert match_key(s) == _reference_match_key(s), s


def _reference_fingerprints(text: str, fmax: int = 300) -> set[str]:
    import hashlib

    from tasks.normalize import normalize_text
    keys = {match_key(x) for x in normalize_text(text).split("\n") if x and len(x) <= fmax}
    return {hashlib.blake2b(k.encode("utf-8"), digest_size=8).hexdigest() for k in keys if k}


def test_site_line_fingerprints_with_the_line_cache_filling_up(monkeypatch):
    import tasks.clean_text as ct
    monkeypatch.setattr(ct, "_LINE_FINGERPRINTS", {})
    monkeypatch.setattr(ct, "_LINE_FINGERPRINTS_MAX", 7)   # cleared again and again
    chrome = "Home | World | Sport\nSubscribe to our newsletter!\n© 2026 Example Media\n..."
    pages = [f"{chrome}\nStory {i}: the minister said — « {i} » — à Paris.\n{'long ' * 80}\nTags: a, b\n\u0301x"
             for i in range(12)]
    for page in pages + pages[::-1]:
        assert ct.site_line_fingerprints(page) == _reference_fingerprints(page)
    assert ct.site_line_fingerprints("") == set()


_CHUNK_SCRIPT = """
import datetime as dt, sys
from pathlib import Path
from tasks.process import ProcessConfig, process_chunk
from tasks.records import SourceFile
root, out = Path(sys.argv[1]), Path(sys.argv[2])
files = [SourceFile(str(p), str(root), p.name, p.stat().st_size, p.stat().st_mtime_ns, "site-a")
         for p in sorted(root.glob("*.txt"))]
process_chunk(files, ProcessConfig.default(), "r1", "00000", out, None, dt.datetime(2026, 1, 1))
"""


@pytest.fixture
def sample_landing(tmp_path):
    """A landing folder holding copies of the sample text dumps."""
    import shutil
    from pathlib import Path

    landing = tmp_path / "landing"
    landing.mkdir()
    for p in sorted((Path(__file__).resolve().parents[1] / "samples" / "raw").glob("*.txt")):
        shutil.copy(p, landing / p.name)
    return landing


def test_chunk_parts_are_the_same_bytes_whatever_the_hash_seed(tmp_path, sample_landing):
    # the site_lines counts come from sets; their rows are written sorted, so a chunk's
    # Parquet parts do not depend on the worker's string hash seed
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    landing = sample_landing
    parts = {}
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(repo)}
        subprocess.run([sys.executable, "-c", _CHUNK_SCRIPT, str(landing), str(out)], env=env, check=True, cwd=repo)
        parts[seed] = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.parquet"))}
    assert "site_lines/part-00000.parquet" in parts["1"]
    assert parts["1"] == parts["2"]


def test_chunk_terms_and_removed_lines_are_the_rows_of_each_article(tmp_path, sample_landing):
    # the worker builds these two tables as columns; each article's rows must be what
    # article_terms and its cleaner's removed lines say, in order
    import datetime as dt

    import pyarrow.parquet as pq

    from tasks.formats import read_source
    from tasks.process import ProcessConfig, clean_document, process_chunk
    from tasks.records import SourceFile
    from tasks.terms import article_terms

    files = [SourceFile(str(p), str(sample_landing), p.name, p.stat().st_size, p.stat().st_mtime_ns, "site-a")
             for p in sorted(sample_landing.glob("*.txt"))]
    cfg = ProcessConfig.default()
    process_chunk(files, cfg, "r1", "00000", tmp_path / "stage", None, dt.datetime(2026, 1, 1))
    articles = pq.read_table(tmp_path / "stage" / "articles" / "part-00000.parquet").to_pylist()
    terms = pq.read_table(tmp_path / "stage" / "article_terms" / "part-00000.parquet").to_pylist()
    removed = pq.read_table(tmp_path / "stage" / "removed_lines" / "part-00000.parquet").to_pylist()
    assert len(articles) == len(files) and terms and removed
    expected_terms, expected_removed = [], []
    for a, sf in zip(articles, files):
        expected_terms += [{"doc_id": a["doc_id"], "term": term, "tf": tf, "title_tf": title_tf, "term_rank": rank,
                            "run_id": "r1"}
                           for rank, (term, tf, title_tf) in enumerate(article_terms(a["title"], a["body"], a["language"]), 1)]
        (doc,) = read_source(sf, cfg.read)
        expected_removed += [{"doc_id": a["doc_id"], "line_no": ln.line_no, "text": ln.text, "reason": ln.reason,
                              "run_id": "r1"} for ln in clean_document(doc, cfg, None).removed]
    assert [{k: r[k] for k in ("doc_id", "term", "tf", "title_tf", "term_rank", "run_id")} for r in terms] == expected_terms
    assert removed == expected_removed
