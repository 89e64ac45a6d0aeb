"""The fast paths of the text cleaner's helpers give what the slow paths give."""
from __future__ import annotations

import pytest

from tasks.dedup import minhash_signature, shingle_hashes
from tasks.normalize import key_tokens, match_key, tokens
from tasks.rules import folded_line_key, get_rules, line_key, rule_form

TEXTS = [
    "The minister said on Tuesday that the hospital would open — next year!",
    "Le ministre a déclaré mardi : « l'hôpital ouvrira » l'an prochain.",
    "قال الوزير يوم الثلاثاء إنّ المستشفى سيفتح أبوابه في ٣ أبريل ٢٠٢٥",
    "Министр заявил во вторник, что больница откроется в следующем году",
    "部长周二表示，医院将于明年开放。东京 Tokyo 2025年",
    "ｈｅｌｌｏ　ｗｏｒｌｄ x² Ⅻ ½ snake_case a\u200bb 𠀀𠀁 abc",
    "हिन्दी समाचार: मंत्री ने कहा",     # spacing marks (Mc) stay in the key: the slow path
    "",
    "  ...  ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_key_tokens_equal_tokens_of_the_match_key(text):
    key = match_key(text)
    assert key_tokens(key) == tokens(key)


def test_minhash_takes_the_split_path_and_the_regex_path_alike():
    # a Latin text (split path) and the same words with a Chinese phrase (regex path)
    # share most shingles: the two paths tokenize the common part the same way
    latin = " ".join(f"word{i}" for i in range(40))
    mixed = latin + " 医院将于明年开放"
    a, b = set(shingle_hashes(latin).tolist()), set(shingle_hashes(mixed).tolist())
    assert a <= b and len(b - a) >= 1
    assert minhash_signature(latin) != minhash_signature(mixed)


@pytest.mark.parametrize("line", ["  Share on Facebook  ", "ÀLIRE AUSSI :", "Straße »", "İstanbul", "—", "a  b\tc",
                                  "اقرأ أيضًا:", "ΣΧΕΤΙΚΆ ΆΡΘΡΑ", "Διαβάστε επίσης"])
def test_folded_line_key_is_line_key(line):
    # the per-line step casefolds the line in the rules' spelling once and keys it from that
    assert folded_line_key(rule_form(line).casefold()) == line_key(line)


def test_a_turkish_dotted_capital_keys_as_its_plain_i():
    # casefold writes "İ" as "i" and a combining dot; the rules' spelling folds it to "I" first
    assert line_key("İstanbul") == line_key("ISTANBUL") == "istanbul"


@pytest.mark.parametrize("line,concept", [
    ("Share on Facebook", "share"),
    ("Comments are closed.", "comment_policy"),
    ("© 2024 Example News. All rights reserved.", "copyright"),
    ("版权所有 不得转载", "copyright"),        # a CJK literal gate
    ("扫一扫 分享到微信", "social_follow"),
])
def test_rule_gates_still_find_the_patterns(line, concept):
    rules = get_rules(None, None)
    got = rules.match(line, line_key(line), None, True)
    assert got is not None and rules.reason_of[got] == rules.reason_of[concept]


def _normalize_reference(s: str) -> str:
    """normalize_text spelled out slowly: NFKC of the whole text, dropped chars, line
    breaks, odd spaces, runs of spaces, stripped lines."""
    import re
    import unicodedata
    from tasks.normalize import _LINE_SEPS, _tables
    s = _tables().drop.sub("", unicodedata.normalize("NFKC", s))
    s = re.sub(f"[{_LINE_SEPS}]", "\n", s.replace("\r\n", "\n"))
    s = re.sub(" {2,}", " ", re.sub("[\t\x1f\u1680]", " ", s))
    return "\n".join(line.strip(" ") for line in s.split("\n")).strip(" ")


# long enough for several chunks; marks, soft hyphens, "…", no-break spaces and line
# separators at chunk borders and inside clean chunks
_LONG = ("\n".join(TEXTS) + "\n") * 30 + ("Cafe\u0301\u00ad  x\u2026\u00a0y \n\u0301z\r\n\t \u2028"
                                           "\u0640\ufeff\ue000 \u1680a\x07\n") * 40


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled-scan", "python-chunks"])
@pytest.mark.parametrize("text", TEXTS + [_LONG, _LONG.replace("\u00ad", ""), "  a  \n  b  ", "x" * 600 + "\n\u0301",
                                  "tidy line\nanother one", " lead", "trail ", "a \nb", "a\n b", "中文，标点。"])
def test_normalize_text_fast_paths_give_the_reference(text, compiled, monkeypatch):
    from tasks import normalize
    if not compiled:
        monkeypatch.setattr(normalize, "_native_clean_spans", lambda: None)
    text = text.encode().decode()      # another object: the last-page memo must not answer
    assert normalize.normalize_text(text) == _normalize_reference(text)


def test_anchored_alternations_pick_what_the_pattern_loop_picks():
    # every rule phrase (and longer / suffixed variants) against the bucket its first two
    # characters route it to: the one-call alternation (after its bucket's length bound) and the plain
    # per-pattern loop agree
    from tasks.rules import _LEAD, _Anchored, load_rule_data
    rules = get_rules(None, None)
    phrases = [ph for c in load_rule_data(None).concepts.values() for lst in c.lines.values() for ph in lst]
    lines = []
    for ph in phrases:
        lines += [ph, ph + " and more words here", ph[:1].upper() + ph[1:] + ": 12", ph + " " + "x" * 130,
                  ph + " " + "x" * 350]
    mx = rules._max
    loops: dict[int, _Anchored] = {}
    combined = 0
    for line in lines:
        line = line.lstrip(_LEAD)
        low = line.casefold()
        if not low or low[0] not in rules._by2:
            continue
        b = rules._by2[low[0]].get(low[1:2]) or rules._any2[low[0]]
        if len(b.items) < 3:
            continue
        loop = loops.get(id(b))
        if loop is None:
            loop = loops[id(b)] = _Anchored(b.items, {}, mx)
            loop.rx = False                     # the per-pattern loop only ...
            loop.max_chars = 10 ** 9            # ... each pattern's own length bound (not the bucket's)
        assert b.first(line, len(line), mx) == loop.first(line, len(line), mx), line
        combined += 1
    assert combined > 500


def test_ascii_token_prefixes_are_the_unicode_ones():
    from tasks.rules import _PREFIX3_ASCII_RE, _PREFIX3_RE
    for line in ["share on facebook", "a_b c-d e.f 12ab x", "(c) 2024 news_site.com | all rights", "", "__ _a a_"]:
        assert _PREFIX3_ASCII_RE.findall(line) == _PREFIX3_RE.findall(line)
