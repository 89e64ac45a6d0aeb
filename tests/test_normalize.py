"""tasks/normalize.py: the stored form, the match key, tokens."""
from __future__ import annotations

import random
import sys
import unicodedata
from pathlib import Path

import pytest

from tasks.normalize import (count_words, is_nospace_char, key_tokens, match_key, match_key_and_tokens, nfkc,
                             normalize_line, normalize_text, to_ascii_digits, tokens)

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"


# ---- normalize_text ---------------------------------------------------------------

def test_nfkc_folds_arabic_presentation_forms_and_ligatures():
    assert normalize_text("ﻣﺮﺣﺒﺎ ﻻ ﷲ") == "مرحبا لا الله"


def test_a_vulgar_fraction_after_a_digit_stays_a_number_of_its_own():
    # NFKC writes "½" as "1⁄2": "2½ days" would read "21⁄2 days" (twenty-one halves)
    assert normalize_text("every 2½ days, 1½ cups, ٣½ كيلو") == "every 2 1⁄2 days, 1 1⁄2 cups, ٣ 1⁄2 كيلو"
    assert normalize_text("¾ of them, x⅓, 1⁄2 cup") == "3⁄4 of them, x1⁄3, 1⁄2 cup"


def test_tatweel_bidi_zero_width_bom_soft_hyphen_removed():
    s = "\ufeff\u200fالـــوفد\u200e \u061cقال\u202b x\u202c \u2066y\u2069 in\u00adter\u200bna\u200d\u2060tional"
    assert normalize_text(s) == "الوفد قال x y international"


def test_private_use_icon_glyphs_removed_bmp_and_supplementary():
    assert normalize_text("\uf06f Share \ue001") == "Share"
    assert normalize_text("a\U000F0001b\U00100000c") == "abc"


def test_presentation_tatweel_from_nfkc_is_removed_too():
    # U+FE77 (fatha medial form) decomposes under NFKC to tatweel + fatha
    assert "\u0640" not in normalize_text("ب\ufe77")


def test_whitespace_collapsed_inside_lines_nbsp_and_unicode_spaces():
    s = "a\u00a0\u00a0b\u202fc\u2007d\u3000e\tf   g\u2009h"
    assert normalize_text(s) == "a b c d e f g h"


def test_lines_kept_stripped_and_counted_like_splitlines():
    raw = "  Title  \r\n\r\nBody\u00a0line \rthird\u2028fourth\x0bfifth\n\n\n"
    out = normalize_text(raw)
    assert out.split("\n") == ["Title", "", "Body line", "third", "fourth", "fifth", "", "", ""]
    # one output line per input line: line numbers agree with the raw text's splitlines()
    assert len(out.split("\n")) == len((raw + "x").splitlines())


def test_diacritics_kept_in_stored_form():
    s = "إنَّ الحُكومةَ café naïve Ελλάδα"
    assert normalize_text(s) == unicodedata.normalize("NFC", s)


def test_control_chars_removed_ascii_fast_path():
    assert normalize_text("a\x00b\x07c\x7fd") == "abcd"


def test_normalize_line_joins_lines():
    assert normalize_line(" a \n b ") == "a b"


def test_nfkc_by_segments_equals_unicodedata():
    rng = random.Random(7)
    pool = [chr(c) for r in (range(0x20, 0x250), range(0x300, 0x370), range(0x600, 0x700),
                             range(0x1100, 0x1200), range(0x3040, 0x3100), range(0xAC00, 0xAC10),
                             range(0xFB50, 0xFF00), range(0xFF00, 0xFFEF), range(0x1E00, 0x1F00),
                             range(0x1F00, 0x2000), range(0x0900, 0x0980), range(0x2000, 0x2100))
            for c in r] + [" ", "\n", "\U0001D400", "\U0001F600", "\U0002F800"]
    for _ in range(5000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 10)))
        assert nfkc(s) == unicodedata.normalize("NFKC", s), repr(s)


# ---- match key --------------------------------------------------------------------

def test_match_key_arabic_folds():
    assert match_key("أَحْمَد إِبْرَاهِيم آمال ٱلله") == "احمد ابراهيم امال الله"
    assert match_key("مستشفى") == "مستشفي"
    assert match_key("مدرسة") == "مدرسه"


def test_match_key_keeps_hamza_seats_on_waw_and_yeh():
    assert match_key("مسؤول رئيس") == "مسؤول رئيس"


def test_match_key_digits_punctuation_case_and_spaces():
    assert match_key("٢٠٢٤/٠٥/٠٩ — ۱۴۰۳!") == "2024 05 09 1403"
    assert match_key("  Élan, NAÏVE…\n\tCAFÉ!  ") == "elan naive cafe"
    assert match_key("Straße") == "strasse"


def test_match_key_ascii_fast_path_agrees_with_general_path():
    rng = random.Random(11)
    for _ in range(3000):
        s = "".join(chr(rng.randrange(0, 128)) for _ in range(rng.randint(0, 24)))
        # a zero-width space forces the general (non-ASCII) path and is then removed
        assert match_key(s) == match_key(s + "\u200b"), repr(s)


def test_match_key_same_for_variant_spellings():
    a = "قالَ الرَّئيسُ: «إنّ الـمفاوضات مستمرة»"
    b = "قال الرئيس إن المفاوضات مستمره"
    assert match_key(a) == match_key(b)


def test_match_key_keeps_kana_voicing_and_hangul():
    assert match_key("がぎ 한국어") == "がぎ 한국어"


# ---- tokens -----------------------------------------------------------------------

def test_tokens_cjk_one_per_char_others_runs():
    assert tokens("中文字 hello_world مرحبًا 123 한국어 ไทย") == [
        "中", "文", "字", "hello", "world", "مرحبًا", "123", "한국어", "ไ", "ท", "ย"]


def test_count_words_agrees_with_tokens():
    for s in ["", "plain ascii words, 12 of them", "Ελληνικά και русский текст",
              "中文和English混合", "emoji 😀 between words", "a_b c", "𠀀𠀁 ext-B", "x\U000110BAy"]:
        assert count_words(s) == len(tokens(s)), s


def test_a_nospace_char_is_what_tokens_makes_a_token_of_its_own():
    for c in ("中", "ก", "カ", "\U00020000"):
        assert is_nospace_char(c) and tokens(c + c) == [c, c], c
    for s in ("a", "й", "한", "", "中文"):
        assert not is_nospace_char(s), s


def test_key_tokens_are_the_tokens_of_the_key_for_every_code_point():
    # key_tokens takes key.split() when it can; it must give what tokens() gives on any key
    for cp in range(0x20, 0x30000, 7):
        if 0xD800 <= cp < 0xE000:
            continue
        for s in (f"ab {chr(cp)}c d", f"{chr(cp)}{chr(cp)} x", f"中 {chr(cp)}"):
            key = match_key(s)
            assert key_tokens(key) == tokens(key), (hex(cp), key)
            assert match_key_and_tokens(s) == (key, tokens(key)), (hex(cp), key)   # (a worker's one split)
    assert key_tokens("") == [] and key_tokens(match_key("Ça va, 12 ans!")) == ["ca", "va", "12", "ans"]
    assert match_key_and_tokens("") == ("", [])


@pytest.mark.skipif(not (DEVSET / "score.py").exists(), reason="devset not available")
def test_tokens_match_devset_scorer():
    sys.path.insert(0, str(DEVSET))
    try:
        import score
    finally:
        sys.path.pop(0)
    files = sorted(DEVSET.glob("*.txt"))[:150]
    assert files
    for f in files:
        s = f.read_text(encoding="utf-8")
        assert tokens(unicodedata.normalize("NFKC", s).casefold()) == score.tokenize(s), f.name
        assert count_words(s) == len(tokens(s)), f.name


def test_to_ascii_digits():
    assert to_ascii_digits("١٥/٠٥/٢٠٢٤ ۱۴۰۳ १२") == "15/05/2024 1403 12"
    assert to_ascii_digits("abc 12") == "abc 12"


def test_match_key_compiled_fold_is_built_and_agrees_with_python_char_by_char():
    # the C table (tasks/_native.c fold_chars) against the Python step on every BMP char,
    # then on random strings of them: a table entry that drifted would show here
    from tasks import normalize
    native = normalize._native_fold()
    assert native is not None          # `pip install -e .` builds it; the speed figures count on it
    fold_chars, table, multi = native
    bmp = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]
    assert [fold_chars(c, table, multi) for c in bmp] == [normalize._fold_and_blank(c) for c in bmp]
    rng = random.Random(7)
    for _ in range(300):
        s = "".join(rng.choice(bmp) for _ in range(rng.randint(1, 80)))
        assert fold_chars(s, table, multi) == normalize._fold_and_blank(s)


def test_match_key_compiled_fold_leaves_astral_text_to_python_and_refuses_a_bad_table():
    import array
    from tasks import normalize
    fold_chars, table, multi = normalize._native_fold()
    assert fold_chars("مرحباً \U0001F600", table, multi) is None
    assert match_key("Café \U0001F600 إعلان!") == "cafe اعلان"     # the Python step took it
    with pytest.raises(ValueError):
        fold_chars("abc", array.array("I", range(100)), multi)
    with pytest.raises(ValueError):          # an entry that says "see multi" where multi has nothing
        fold_chars("\u064b", table, {})


def test_compiled_clean_scan_is_built_and_finds_the_regex_segments():
    # tasks/_native.c clean_spans against the clean_seg regex it stands for, and its two flags
    # against their definitions, on every BMP char in a few contexts and on random strings
    from tasks import normalize
    native = normalize._native_clean_spans()
    assert native is not None          # `pip install -e .` builds it; the speed figures count on it
    clean_spans, table = native
    seg = normalize._tables().clean_seg

    def expected(s):
        tidy = not ("  " in s or " \n" in s or "\n " in s or s[:1] == " " or s[-1:] == " ")
        return [m.span() for m in seg.finditer(s)], s.replace("\n", "").isprintable(), tidy

    bmp = [chr(c) for c in range(0x10000)]
    for c in bmp:
        for s in (c, "a" + c + "b", " " + c + "\n", "\u0600" + c + c):
            spans, printable, tidy = clean_spans(s, table)
            want_spans, want_printable, want_tidy = expected(s)
            assert spans == want_spans and tidy == want_tidy, (hex(ord(c)), s)
            if not spans:          # a text with segments is never called printable, whatever it holds
                assert printable == want_printable, (hex(ord(c)), s)
    rng = random.Random(5)
    pool = bmp[:0x700] + [" "] * 200 + ["\n"] * 50 + ["\U0001F600", "\U000F0001", "\u0301", "\u00a0"]
    for _ in range(2000):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert clean_spans(s, table)[0] == expected(s)[0] and clean_spans(s, table)[2] == expected(s)[2], repr(s)
    assert clean_spans("", table) == ([], True, True)
    with pytest.raises(ValueError):
        clean_spans("abc", bytes(100))


def test_html_character_references_a_scraper_left_are_decoded():
    text = "Tom &amp; Jerry&nbsp;said &quot;hi&quot; &#8217;s &#x2019; &lt;b&gt;\nسعر&nbsp;الذهب"
    assert normalize_text(text) == "Tom & Jerry said \"hi\" ’s ’ <b>\nسعر الذهب"
    # only well-formed references: a URL's query, a bare ampersand and an unknown name stay
    for kept in ("?a=1&copy=2", "AT&T", "R&D; later", "&bogus;"):
        assert normalize_text(kept) == kept
    # a reference to a line break or an invalid number does not change the lines
    assert normalize_text("a&#10;b&#13;c&#x2028;d\ne&#0;f") == "a b c d\nef"
