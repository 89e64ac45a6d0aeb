"""Text normalization: the stored (display) form, a lossy match key, tokens.

Two forms are derived from raw text (see ../shared/notes/anchors.md, section 4):

* ``normalize_text(s)``: what is stored. NFKC (folds Arabic presentation forms,
  lam-alef ligatures, fullwidth forms, no-break spaces); then tatweel, bidi and
  format controls (every Unicode ``Cf`` char: LRM/RLM, ALM, LRE..RLO, LRI..PDI,
  BOM, soft hyphen, zero-width space/joiners, word joiner), C0/C1 control
  characters, lone surrogates and private-use glyphs (icon fonts, BMP and the
  supplementary planes) are removed; inside each line every run of whitespace
  becomes one ASCII space and each line is stripped. Line breaks are kept, one
  output line per input line (``\\r\\n``, ``\\r``, VT, FF, FS/GS/RS, NEL, U+2028
  and U+2029 all count as one line break and become ``\\n``), so line numbers
  taken on the normalized text match ``str.splitlines`` of the input.
  Diacritics (harakat, accents) are kept.
* ``match_key(s)``: lossy, for duplicate detection and search. Casefolded,
  combining marks (Arabic harakat, Latin accents, ...) dropped, alef variants
  folded, digits ASCII, punctuation and symbols gone, single spaces.

Speed: NFKC on a whole non-normalized text runs at ~15 MB/s in CPython, so
NFKC is applied only to the short segments that can change under it (a
precomputed character class, see ``_Tables``); everything else is
str methods and precompiled regexes. Tables are built once per process on
first use (~60 ms).
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "normalize_text",
    "normalize_line",
    "match_key",
    "match_key_and_tokens",
    "line_match_keys",
    "tokens",
    "key_tokens",
    "is_nospace_char",
    "count_words",
    "to_ascii_digits",
    "TERMINAL_CHARS",
    "CLOSER_CHARS",
    "CJK_FIRST",
]

# what ends a sentence, in the scripts we read (Arabic ؟, Urdu ۔, CJK 。！？, Devanagari ।,
# Armenian ։, Ethiopic ።)
TERMINAL_CHARS = ".!?;؟۔。！？…:।॥։።"
# the closing quotes and brackets a sentence's end may stand before ("…认可。”", German „…“ ‚…‘); not "》": a line
# ending in "…!》" names a book or a show, its "!" is the title's
CLOSER_CHARS = "\"'”’“‘»)]」』】）"
# the first code point of the CJK block (kana, then ideographs): a character at or past it is wide
CJK_FIRST = "\u3040"

_NFKC = unicodedata.normalize

# Code points where Unicode has marks, format chars, decimal digits, compatibility
# characters: planes 0-1, the CJK compatibility supplement and plane 14 (tags,
# variation selectors). Everything else is letters (CJK ext.), unassigned or PUA.
_SCAN = (range(0, 0x20000), range(0x2F800, 0x2FA20), range(0xE0000, 0xE0200))

# Scripts written without spaces: each character is one token. The same list
# as ../shared/devset/score.py (Hangul is NOT in it: Korean separates words
# with spaces, so a Hangul word is one token).
_NOSPACE = ("\u0E00-\u0E7F"      # Thai
            "\u0E80-\u0EFF"      # Lao
            "\u0F00-\u0FFF"      # Tibetan
            "\u1000-\u109F"      # Myanmar
            "\u1780-\u17FF"      # Khmer
            "\u3040-\u309F"      # Hiragana
            "\u30A0-\u30FF"      # Katakana
            "\u31F0-\u31FF"      # Katakana ext.
            "\u3400-\u4DBF"      # CJK ext. A
            "\u4E00-\u9FFF"      # CJK unified
            "\uF900-\uFAFF")     # CJK compatibility
_NOSPACE_ASTRAL = "\U00020000-\U0002FA1F"  # CJK ext. B-F, compat. supplement

# Line separators other than \n (the ones str.splitlines honours).
_LINE_SEPS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Arabic letters whose hamza is part of the letter, not a removable mark:
# keep them whole in the match key (only the alef variants are folded).
_KEEP_WHOLE = "\u0624\u0626\u06C0\u06C2\u06D3"
# Kana voicing marks are letters' identity in Japanese, not accents.
_KEEP_MARKS = "\u3099\u309A"


def _ranges(cps) -> str:
    cps = sorted(set(cps))
    out = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        a, b = cps[i], cps[j]
        out.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        i = j + 1
    return "".join(out)


_ASTRAL_RE = re.compile("[\U00010000-\U0010FFFF]")
_ASTRAL_RUN_RE = re.compile("[\U00010000-\U0010FFFF]+")
_ASTRAL_NOSPACE_RE = re.compile(f"[{_NOSPACE_ASTRAL}]")
_NOSPACE_CHAR_RE = re.compile(f"[{_NOSPACE}{_NOSPACE_ASTRAL}]")


def is_nospace_char(s: str) -> bool:
    """`s` is one character of a script written without spaces (tokens() makes it a token of its own)."""
    return _NOSPACE_CHAR_RE.fullmatch(s) is not None


class _Cls:
    """A set of chars as two compiled classes, BMP and astral.

    sre compiles a BMP-only class to a bitmap and skips to its first match fast;
    a class that also has astral ranges becomes a linear list of ranges tried
    on every char (50x slower). The astral class is run only when the text has
    an astral char at all.
    """

    def __init__(self, cps, extra_astral: str = "", run: bool = False, also: str = "") -> None:
        cps = set(cps)
        plus = "+" if run else ""
        bmp = _ranges(c for c in cps if c <= 0xFFFF) + also
        astral = _ranges(c for c in cps if c > 0xFFFF) + extra_astral
        self.bmp = re.compile(f"[{bmp}]{plus}") if bmp else None
        self.astral = re.compile(f"[{astral}]{plus}") if astral else None
        self.bmp_src, self.astral_src = bmp, astral

    def sub(self, repl, s: str) -> str:
        if self.bmp is not None:
            s = self.bmp.sub(repl, s)
        if self.astral is not None and _ASTRAL_RE.search(s):
            astral = self.astral
            s = _ASTRAL_RUN_RE.sub(lambda m: astral.sub(repl, m.group()), s)
        return s


class _Tables:
    """Character classes computed once from unicodedata (this Python's Unicode version)."""

    def __init__(self) -> None:
        cat = unicodedata.category
        comb = unicodedata.combining
        decomp = unicodedata.decomposition
        marks, drop, digits, punct = [], [], {}, []
        canon = []          # chars with a canonical decomposition
        seconds = set()     # chars that may compose with the char before them
        unstable = {}       # char -> NFKC(char) where different
        for r in _SCAN:
            for cp in r:
                c = chr(cp)
                k = cat(c)
                k0 = k[0]
                if k0 == "M":
                    marks.append(cp)
                elif k == "Cf" or k == "Co" or k == "Cs":
                    drop.append(cp)
                elif k == "Nd":
                    if not 0x30 <= cp <= 0x39:
                        digits[cp] = str(unicodedata.decimal(c))
                elif k0 == "P" or k0 == "S":
                    punct.append(cp)
                d = decomp(c)
                if d and not d.startswith("<"):
                    parts = d.split()
                    canon.append(cp)
                    if len(parts) == 2:
                        seconds.add(int(parts[1], 16))
                n = _NFKC("NFKC", c)
                if n != c:
                    unstable[cp] = n
        seconds.update(range(0x1161, 0x1176))   # Hangul medial vowels
        seconds.update(range(0x11A8, 0x11C3))   # Hangul final consonants

        # --- NFKC by segments -------------------------------------------------
        # A character is "back-sensitive" when NFKC may combine or reorder it with
        # the char before it: a combining mark (ccc != 0), a possible second half
        # of a composition, or a char whose NFKC starts with one of those. Any
        # other char that NFKC changes is self-contained. A char NFKC leaves alone
        # that is neither is a safe boundary: NFKC(a + x + b) = NFKC(a) + x + NFKC(b).
        def back(cp: int) -> bool:
            return comb(chr(cp)) != 0 or cp in seconds
        back_set = set(marks) | seconds
        prob = set(back_set)
        for cp, n in unstable.items():
            prob.add(cp)
            if back(cp) or (n and back(ord(n[0]))):
                back_set.add(cp)
        self.back_chars = frozenset(chr(c) for c in back_set if c <= 0xFFFF)
        # BMP part as a bitmap plus the whole astral range (a single range test):
        # astral segments are rare and are handled with their preceding char.
        prob_bmp = _ranges(c for c in prob if c <= 0xFFFF)
        self.nfkc_seg = re.compile(f"[{prob_bmp}\U00010000-\U0010FFFF]+")

        # --- removal -----------------------------------------------------------
        drop_cps = set(drop)
        drop_cps.add(0x0640)                                   # tatweel
        drop_cps.update(range(0x00, 0x09))                     # C0 controls except \t \n VT FF \r
        drop_cps.update(range(0x0E, 0x1C))                     # ... and FS GS RS US
        drop_cps.add(0x7F)
        drop_cps.update(cp for cp in range(0x80, 0xA0) if cp != 0x85)   # C1 except NEL
        # + the supplementary private-use planes 15 and 16
        self.drop = _Cls(drop_cps, "\U000F0000-\U0010FFFF", run=True)
        # one pass for normalize_text: segments that NFKC may change or that hold
        # chars to drop (dropping a char never creates an NFKC boundary problem
        # the plain "NFKC, then drop" order would not have)
        drop_bmp = _ranges(c for c in drop_cps if c <= 0xFFFF)
        self.clean_seg = re.compile(f"[{prob_bmp}{drop_bmp}\U00010000-\U0010FFFF]+")

        # --- match key -----------------------------------------------------------
        keep = {ord(c) for c in _KEEP_WHOLE + _KEEP_MARKS}
        strip_map = {}
        for cp in marks:
            if cp not in keep and cat(chr(cp)) != "Mc":
                strip_map[chr(cp)] = ""
        for cp in canon:
            if cp in keep or 0xAC00 <= cp <= 0xD7A3:
                continue
            c = chr(cp)
            base = "".join(x for x in _NFKC("NFD", c) if x not in strip_map)
            base = _NFKC("NFC", base)
            if base != c:
                strip_map[c] = base
        self.strip_map = strip_map
        self.strip = _Cls(ord(c) for c in strip_map)
        self.punct = _Cls(punct, run=True)
        self.digit_map = {chr(cp): v for cp, v in digits.items()}
        self.digit = _Cls(digits)
        # match_key: marks/accents and digits in one pass
        self.fold_map = {**strip_map, **self.digit_map}
        self.fold = _Cls(ord(c) for c in self.fold_map)

        # --- tokens ------------------------------------------------------------
        nospace = f"(?:[{_NOSPACE}]|[{_NOSPACE_ASTRAL}])"
        mk = _Cls(marks)
        mark_cls = f"(?:[{mk.bmp_src}]|(?=[\U00010000-\U0010FFFF])[{mk.astral_src}])"
        self.token_re = re.compile(
            rf"{nospace}|(?:(?!{nospace})[^\W_]|{mark_cls})+")
        # fast path for text with no astral char and no no-space script:
        # '_' is turned into a space first
        self.word_re = re.compile(rf"[\w{mk.bmp_src}]+")
        self.nospace_re = re.compile(f"[{_NOSPACE}]")
        self.astral_marks = frozenset(chr(c) for c in marks if c > 0xFFFF)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


_LINESEP_RE = re.compile(f"[{_LINE_SEPS}]")
# whitespace left after NFKC other than ' ' and line breaks (NFKC maps U+00A0,
# U+2000-200A, U+202F, U+205F, U+3000 to ' ')
_ODD_WS_RE = re.compile("[\t\x1f\u1680]")
_SPACES_RE = re.compile(" {2,}")


def _by_segments(s: str, seg_re: re.Pattern, fix, cache: dict) -> str:
    return _by_spans(s, (m.span() for m in seg_re.finditer(s)), fix, cache)


def _by_spans(s: str, spans, fix, cache: dict) -> str:
    """s with fix applied to each (start, end) span, a span that starts with a char NFKC may
    combine with the one before taking that char along."""
    out = []
    pos = 0
    back = _tables().back_chars
    for a, b in spans:
        if a > pos:
            c = s[a]
            if c in back or c > "\uffff":
                a -= 1          # the starter a mark may combine with
        seg = s[a:b]
        new = cache.get(seg)
        if new is None:
            new = fix(seg)
            if len(seg) < 16 and len(cache) < 50_000:
                cache[seg] = new
        out.append(s[pos:a])
        out.append(new)
        pos = b
    if not out:
        return s
    out.append(s[pos:])
    return "".join(out)


_NFKC_CACHE: dict[str, str] = {}
_CLEAN_CACHE: dict[str, str] = {}


def nfkc(s: str) -> str:
    """Same result as unicodedata.normalize('NFKC', s), computed only on the
    segments that can change (much faster on mostly-normalized text)."""
    if s.isascii():
        return s
    return _by_segments(s, _tables().nfkc_seg, lambda x: _NFKC("NFKC", x), _NFKC_CACHE)


def _nfkc_and_drop(seg: str) -> str:
    return _tables().drop.sub("", _NFKC("NFKC", seg))


_ASCII_CONTROLS_RE = re.compile("[\x00-\x08\x0e-\x1b\x7f]+")
_IS_NFKC = unicodedata.is_normalized
_CHUNK_CHARS = 500


def _clean_as_is(s: str) -> bool:
    """True when NFKC leaves `s` alone and it holds no char to drop: C tests at ~1 ns/char
    (is_normalized's quick check; isprintable is False for every Cc/Cf/Co/Cs char, so for
    every dropped char but the tatweel) instead of a ~15 ns/char regex scan for segments."""
    return _IS_NFKC("NFKC", s) and "\u0640" not in s and s.replace("\n", "").isprintable()


def _nfkc_and_drop_text(s: str) -> str:
    """NFKC + dropped chars on a whole text (see _nfkc_and_drop_flagged)."""
    return _nfkc_and_drop_flagged(s)[0]


def _nfkc_and_drop_flagged(s: str) -> tuple[str, bool, bool]:
    """NFKC + dropped chars on a whole text: chunks (cut at line breaks, which NFKC never
    joins to a neighbour) that are already clean are kept as they are; the others go by
    segments. Most pages have a few chars to fix ("…", a no-break space) in a few lines.
    Also tells whether the whole text was clean as it was (then every char but the line
    breaks is printable: no line separator, tab or odd space in it) and whether its spaces
    are known to be tidy already (never known without the compiled scan)."""
    native = _native_clean_spans()
    if native is not None:
        # one C pass finds the same segments as clean_seg on the whole text; segments never
        # cross a line break, so this is the chunked path's result too
        spans, printable, tidy = native[0](s, native[1])
        if not spans:
            return s, printable, tidy
        return _by_spans(s, spans, _nfkc_and_drop, _CLEAN_CACHE), False, False
    if _clean_as_is(s):
        return s, True, False
    n = len(s)
    if n <= _CHUNK_CHARS:
        return _by_segments(s, _tables().clean_seg, _nfkc_and_drop, _CLEAN_CACHE), False, False
    out = []
    a = 0
    while a < n:
        b = s.find("\n", a + _CHUNK_CHARS)
        b = n if b < 0 else b
        chunk = s[a:b]
        if not _clean_as_is(chunk):
            chunk = _by_segments(chunk, _tables().clean_seg, _nfkc_and_drop, _CLEAN_CACHE)
        out.append(chunk)
        a = b
    return "".join(out), False, False


# an HTML character reference a scraper left in its text ("&amp;", "&nbsp;", "&#8217;"): only the
# well-formed ones, with their ";" (html.unescape alone would also read "&copy=2" in a URL)
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


_DIGIT_THEN_FRACTION = re.compile("(?<=\\d)(?=[\u00bc-\u00be\u2150-\u215e\u2189])")


def _char_ref(m: re.Match) -> str:
    c = html.unescape(m.group())
    # ("&#10;" must not break the line: a removed line's number points into the input)
    return " " if c.isspace() else "" if c == "\ufffd" else c      # (an invalid number: nothing)


def normalize_text(s: str) -> str:
    """The stored form: HTML character references decoded, NFKC, invisible/format chars removed,
    whitespace tidied, lines kept."""
    if not s:
        return ""
    if "&" in s and ";" in s:
        s = _CHAR_REF.sub(_char_ref, s)
    printable = False
    if s.isascii():
        if _ASCII_CONTROLS_RE.search(s):
            s = _ASCII_CONTROLS_RE.sub("", s)
    else:
        out = _nfkc_and_drop_flagged(s)
        # NFKC spells "½" "1⁄2": after a digit, "1½" would read "11⁄2" (eleven halves); a space
        # keeps the number apart (looked for only when NFKC wrote a fraction slash)
        if "\u2044" in out[0] and _DIGIT_THEN_FRACTION.search(s) is not None:
            out = _nfkc_and_drop_flagged(_DIGIT_THEN_FRACTION.sub(" ", s))
        s, printable, tidy = out
        if printable and tidy:
            return s
    # (the rare chars are looked for with `in`, a fast C search, not with a regex scan;
    # and not at all in a text known to be printable: they are all non-printable)
    if not printable:
        if any(c in s for c in _LINE_SEPS):
            if "\r\n" in s:
                s = s.replace("\r\n", "\n")
            s = _LINESEP_RE.sub("\n", s)
        if "\t" in s or "\x1f" in s or "\u1680" in s:
            s = _ODD_WS_RE.sub(" ", s)
    # runs of spaces -> one space: str.replace passes (log2 of the longest run) instead
    # of a regex; then at most one space stands on either side of a line break
    while "  " in s:
        s = s.replace("  ", " ")
    if " \n" in s:
        s = s.replace(" \n", "\n")
    if "\n " in s:
        s = s.replace("\n ", "\n")
    return s.strip(" ")


def normalize_line(s: str) -> str:
    """normalize_text for one line: any line break becomes a space."""
    s = normalize_text(s)
    if "\n" in s:
        s = " ".join(s.split())
    return s


def _digit_sub(m: re.Match) -> str:
    return _tables().digit_map[m.group()]


def to_ascii_digits(s: str) -> str:
    """Map every Unicode decimal digit (Arabic-Indic ٠-٩, Persian ۰-۹, fullwidth,
    Devanagari, ...) to ASCII 0-9. Nothing else changes."""
    if s.isascii():
        return s
    return _tables().digit.sub(_digit_sub, s)


# the Arabic letter variants match_key folds (and the rules: tasks/rules.py rule_form)
ARABIC_LETTER_FOLDS = (("\u0623", "\u0627"), ("\u0625", "\u0627"), ("\u0622", "\u0627"),
                       ("\u0671", "\u0627"), ("\u0649", "\u064A"), ("\u0629", "\u0647"),
                       ("\u06CC", "\u064A"), ("\u06A9", "\u0643"))
# the Arabic marks match_key drops (harakat, tanween, shadda, sukun, the superscript alef)
ARABIC_MARKS = "".join(map(chr, range(0x064B, 0x0653))) + "\u0670"
ARABIC_CHAR = re.compile("[\u0600-\u06FF]")    # a character of the Arabic block
_ASCII_KEY_TABLE = {c: None for c in list(range(0x00, 0x09)) + list(range(0x0E, 0x1C)) + [0x7F]}
_ASCII_KEY_TABLE.update({ord(c): " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
_ASCII_KEY_TABLE.update({c: c + 32 for c in range(0x41, 0x5B)})


def _strip_sub(m: re.Match) -> str:
    return _tables().strip_map[m.group()]


def _fold_sub(m: re.Match) -> str:
    return _tables().fold_map[m.group()]


def match_key(s: str) -> str:
    """Lossy key for duplicates and search.

    normalize_text, casefold, nonspacing combining marks dropped (Arabic harakat
    U+064B-0652 and U+0670, Latin/Greek/Cyrillic accents: é -> e; kana voicing
    marks and spacing marks of Indic scripts are kept), أ إ آ ٱ -> ا, ى -> ي,
    ة -> ه, Persian ی ک -> ي ك, every decimal digit -> ASCII, punctuation and
    symbols -> space, whitespace collapsed to single spaces (lines joined).
    ؤ and ئ are kept whole.
    """
    return " ".join(_key_chars(s).split())


def match_key_and_tokens(s: str) -> tuple[str, list[str]]:
    """(match_key(s), key_tokens(match_key(s))), the key's words split once: a worker needs both for
    every body, and splitting a 5 KB key twice (~600 str objects each time) cost ~40 µs an article."""
    parts = _key_chars(s).split()
    key = " ".join(parts)
    return key, _tokens_of_split_key(key, parts)


def line_match_keys(lines: list[str]) -> list[str]:
    """[match_key(line) for line in lines], for lines without a '\n', in one pass over the joined
    lines: up to its final whitespace collapse match_key works char by char (a mark's segment may
    take the '\n' before it, which NFKC leaves alone) and never turns a char into '\n' or back."""
    if not lines:
        return []
    parts = _key_chars("\n".join(lines)).split("\n")
    if len(parts) != len(lines):   # a line held a '\n'
        return [match_key(line) for line in lines]
    return [" ".join(p.split()) for p in parts]


def _key_chars(s: str) -> str:
    """match_key before its whitespace collapse."""
    if s.isascii():
        # same result, one C pass: controls dropped, punctuation/symbols -> space, lowercase
        return s.translate(_ASCII_KEY_TABLE)
    # normalize_text without its line/space passes (split() in match_key does those)
    s = _nfkc_and_drop_text(s).casefold()
    native = _native_fold()
    if native is not None:
        fold_chars, table, multi = native
        got = fold_chars(s, table, multi)
        if got is not None:         # (None: a char past the BMP, which the table does not cover)
            return got
    return _fold_and_blank(s)


def _fold_and_blank(s: str) -> str:
    """match_key's per-character step on a normalized, casefolded text: Arabic letter variants
    folded, marks dropped, digits to ASCII, punctuation and symbols to spaces. Char by char
    (each char's result depends on that char alone), which lets _native_fold table it."""
    t = _tables()
    if _ASTRAL_RE.search(s):
        if ARABIC_CHAR.search(s):
            for a, b in ARABIC_LETTER_FOLDS:
                if a in s:
                    s = s.replace(a, b)
        return t.punct.sub(" ", t.fold.sub(_fold_sub, s))
    # no astral char: each distinct char to fold or blank is found with one regex scan and
    # replaced with str.replace (C), instead of a Python callback per match (~2x faster);
    # the fold map's values hold no char it maps, and a punctuation run becoming one space or
    # several is the same once the whitespace is collapsed
    if not s.isascii():
        if ARABIC_CHAR.search(s):
            for a, b in ARABIC_LETTER_FOLDS:
                if a in s:
                    s = s.replace(a, b)
        fold_map = t.fold_map
        for c in set(t.fold.bmp.findall(s)):
            s = s.replace(c, fold_map[c])
    for c in set(_punct_char_re().findall(s)):
        s = s.replace(c, " ")
    return s


@lru_cache(maxsize=1)
def _native_fold():
    """(tasks._native.fold_chars, its table, its multi-char entries): _fold_and_blank as one C
    pass over a BMP table instead of two regex scans and a replace per distinct char; None when
    the module is not built. The table is _fold_and_blank itself applied to every char it
    changes, so the two cannot disagree."""
    try:
        from tasks._native import fold_chars
    except ImportError:
        return None
    import array

    bmp = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    changed = (set(_tables().fold.bmp.findall(bmp)) | set(_punct_char_re().findall(bmp))
               | {a for a, _ in ARABIC_LETTER_FOLDS})
    table = array.array("I", range(0x10000))
    multi: dict[int, str] = {}
    for c in changed:
        out = _fold_and_blank(c)
        if len(out) == 1:
            table[ord(c)] = ord(out)
        else:                         # a mark dropped, or a char that folds to two
            table[ord(c)] = 0xFFFFFFFF
            multi[ord(c)] = out
    return fold_chars, table, multi


@lru_cache(maxsize=1)
def _native_clean_spans():
    """(tasks._native.clean_spans, its table), None when the module is not built. Table byte
    of each BMP char: 1 when clean_seg matches it (NFKC may change it, or it is dropped), 2
    when it is not printable (other than the line break); built from that regex and
    str.isprintable, so the two paths cannot disagree."""
    try:
        from tasks._native import clean_spans
    except ImportError:
        return None
    bmp = "".join(map(chr, range(0x10000)))
    table = bytearray(0x10000)
    for m in _tables().clean_seg.finditer(bmp):
        for cp in range(m.start(), m.end()):
            table[cp] = 1
    for cp in range(0x10000):
        if cp != 0x0A and not bmp[cp].isprintable():
            table[cp] |= 2
    return clean_spans, bytes(table)


@lru_cache(maxsize=1)
def _punct_char_re() -> re.Pattern:
    """One BMP punctuation/symbol char (the match key's punct class matches runs)."""
    return re.compile(f"[{_tables().punct.bmp_src}]")


def tokens(s: str) -> list[str]:
    """Unicode word tokens: the tokenizer of ../shared/devset/score.py without its
    NFKC + casefold (call it on normalized text; casefold yourself if needed).

    Each Han / kana / Thai / Lao / Khmer / Myanmar / Tibetan character is a token;
    otherwise a token is a maximal run of letters, digits and combining marks
    ('_' separates). Hangul is not split per character (nor is it in score.py).
    """
    return _tables().token_re.findall(s)


def key_tokens(key: str) -> list[str]:
    """tokens(key) for a match key (match_key's output), ~4x faster: a key holds single
    spaces, letters, digits and kept marks, so when every non-space char is a letter or
    digit and none is of a no-space script, its tokens are key.split()."""
    return _tokens_of_split_key(key, key.split())


def _tokens_of_split_key(key: str, parts: list[str]) -> list[str]:
    """key_tokens(key), given key.split()."""
    if "".join(parts).isalnum():
        if key.isascii():
            return parts
        if _tables().nospace_re.search(key) is None and _ASTRAL_NOSPACE_RE.search(key) is None:
            return parts
    return tokens(key)


def _astral_for_count(m: re.Match) -> str:
    # only the token count matters here: an astral mark or letter/digit stays
    # part of a word ('a' placeholder), anything else (emoji...) separates
    marks = _tables().astral_marks
    return "".join("a" if (c in marks or c.isalnum()) else " " for c in m.group())


def count_words(s: str, key_toks: list[str] | None = None) -> int:
    """len(tokens(s)), faster (counts with subn: no list of token strings).

    Exception, for malformed text only: a Thai/Lao/Tibetan/Myanmar/Khmer/kana
    combining mark directly after a Latin (Arabic, ...) letter counts as a token
    of its own here, while tokens() glues it to that letter.

    `key_toks`, key_tokens(match_key(s)) when the caller has them, makes it nearly
    free: when `s` holds no char for which the two counts can differ, it is their number."""
    if not s:
        return 0
    if key_toks is not None and _key_count_differs().search(s) is None:
        return len(key_toks)
    t = _tables()
    if s.isascii():
        return _ASCII_WORD_RE.subn("", s)[1]
    if _ASTRAL_RE.search(s):
        if _ASTRAL_NOSPACE_RE.search(s):
            return len(t.token_re.findall(s))
        s = _ASTRAL_RUN_RE.sub(_astral_for_count, s)
    if "_" in s:
        s = s.replace("_", " ")
    n = 0
    if t.nospace_re.search(s):
        # every Han/kana/Thai... char is a token of its own; the rest are runs
        s, n = t.nospace_re.subn(" ", s)
    return n + t.word_re.subn("", s)[1]


_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]+")


@lru_cache(maxsize=1)
def _key_count_differs() -> re.Pattern:
    """Chars that can make len(key_tokens(match_key(s))) differ from count_words(s): the ones
    match_key's NFKC/drop pass may touch (marks: a lone mark is a token of s but not of the key;
    compatibility, format and astral chars) and the non-letters of the no-space scripts (a Thai
    digit is a token of its own in s, a plain digit inside a word in the key). Every other char
    keeps its kind in the key (word char, separator or no-space letter), so the counts agree
    (tests/test_process_speed.py checks every code point)."""
    seg = _tables().clean_seg.pattern
    assert seg.startswith("[") and seg.endswith("]+"), seg
    nospace = (cp for a, b in re.findall("(.)-(.)", _NOSPACE) for cp in range(ord(a), ord(b) + 1))
    nonletters = _ranges(cp for cp in nospace if not chr(cp).isalpha())
    return re.compile(f"[{seg[1:-2]}{nonletters}]")
