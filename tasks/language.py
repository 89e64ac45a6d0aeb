"""Language of a text, ISO 639-1, with py3langid (its model ships in the package:
nothing is downloaded, ever).

``detect_language(text)``:

1. takes a prefix (``PREFIX_CHARS`` = 400: on the devset 400 and 600 chars give
   the same accuracy, 300 loses two pages) and counts letters by script;
2. fewer than ``MIN_LETTERS`` letters -> None (too short to say);
3. script shortcuts that need no model and cannot be wrong for news text:
   kana present -> 'ja'; Hangul -> 'ko'; Han without kana/Hangul -> 'zh';
   Greek -> 'el'; Thai -> 'th'; Hebrew -> 'he' (scripts are counted on the UTF-8
   bytes: a translate and a few counts, no per-character work);
   Arabic script -> 'ar' only when there is no letter specific to Persian, Urdu,
   Pashto, Kurdish, Sindhi or Uyghur (پ چ ژ گ ی ک ۀ ٹ ڈ ڑ ں ہ ے ە ێ ۆ ڵ ڕ ...) and there
   are Arabic-only letters (ي ك ة ى), otherwise the model decides among ar/fa/ur/...;
   the script must hold most of the letters (a Latin page with one Chinese name
   still goes to the model);
4. otherwise py3langid on the first ``QUICK_CHARS`` (150) chars, and on the whole
   prefix when that is below ``QUICK_CONFIDENCE`` (on the 838 devset samples that
   reach the model: same 831 right as always reading 400 chars, in half the time);
   py3langid is restricted to ``LANGUAGES`` (about 60 languages written
   in news; on the devset it removes wrong picks such as 'la' for English pages:
   1072 of 1079 samples right against 1070 unrestricted), with normalized
   probabilities; below
   ``MIN_CONFIDENCE`` -> None.

The model is loaded once per process, on first use (py3langid decompresses its
xz model: about 1 s of CPU), behind a lock (thread-safe lazy singleton).
"""
from __future__ import annotations

import re
import threading

__all__ = ["detect_language", "LANGUAGES"]

PREFIX_CHARS = 400
MIN_LETTERS = 20
MIN_CONFIDENCE = 0.5
QUICK_CHARS = 150          # first look for the model ...
QUICK_CONFIDENCE = 0.95    # ... accepted when at least this sure

# Languages py3langid may answer (a restriction, not a requirement: text in
# another language comes out as its nearest neighbour here or as None).
LANGUAGES = (
    "af ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gl he hi hr hu hy id "
    "is it ja ka kk ko ku lt lv mk ml mr ms mt nb nl nn no pl ps pt ro ru sk sl sq sr sv sw "
    "ta te th tl tr uk ur uz vi zh"
).split()

def _byte_classes() -> bytes:
    """UTF-8 lead byte -> script class (a translate table). Counting classes in the
    translated bytes is a few C passes, ~50x cheaper than a Unicode regex over the
    sample. Approximate on purpose (a 2-byte lead covers 64 code points), which is
    enough to tell which script holds most of the letters."""
    t = bytearray(b"." * 256)
    for c in range(0x41, 0x5B):
        t[c] = t[c + 32] = ord("l")          # ASCII letters
    for c in range(0xC3, 0xCC):
        t[c] = ord("l")                      # Latin-1 letters, Latin Extended, IPA
    for c in (0xCE, 0xCF):
        t[c] = ord("g")                      # Greek
    for c in range(0xD0, 0xD5):
        t[c] = ord("c")                      # Cyrillic
    t[0xD7] = ord("h")                       # Hebrew letters
    for c in range(0xD8, 0xDC):
        t[c] = ord("a")                      # Arabic
    for c in range(0xE4, 0xEA):
        t[c] = ord("z")                      # U+4000-9FFF: Han
    for c in range(0xEA, 0xEE):
        t[c] = ord("k")                      # U+A000-DFFF: Hangul syllables (and Yi)
    t[0xE0] = ord("i")                       # U+0800-0FFF: Indic, Thai ...
    t[0xE1] = ord("i")                       # U+1000-1FFF: Myanmar, Georgian, Greek ext ...
    t[0xE3] = ord("j")                       # U+3000-3FFF: kana, CJK punctuation, ext. A
    return bytes(t)


_BYTE_CLASS = _byte_classes()


# letters of Persian, Urdu, Pashto, Sindhi, Kurdish, Uyghur... absent from Arabic
_NOT_ARABIC = re.compile("[\u067e\u0686\u0698\u06af\u06cc\u06a9\u06c0\u0679\u0688\u0691\u06ba"
                         "\u06c1\u06d2\u06d5\u06ce\u06c6\u06b5\u0695\u067c\u0681\u0685\u0689"
                         "\u0693\u0696\u069a\u06ab\u06bc\u06d0\u06c7\u06c8\u06cb\u06ad\u06be"
                         "\u067b\u0680\u0684\u068a\u068c\u068d\u068e\u0687\u06a6\u06b3\u06b1"
                         "\u06bb\u06c5\u06c9\u06ca\u06cd]")
_ARABIC_ONLY = re.compile("[\u064a\u0643\u0629\u0649]")   # ي ك ة ى

_lock = threading.Lock()
_model = None


class _Model:
    """py3langid's identifier, restricted to LANGUAGES, with its feature table
    as float32 (the shipped table is float16, which numpy computes ~3x slower).
    Scoring is py3langid's own (DFA byte walk, naive Bayes, length-calibrated
    softmax); if its internals ever change we fall back to its classify()."""

    def __init__(self) -> None:
        import numpy as np
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        known = set(ident.labels)
        ident.set_languages([x for x in LANGUAGES if x in known])
        self.ident = ident
        self.np = np
        try:
            from py3langid.langid import visit_counts
            self.visit_counts = visit_counts
            self.ptc = np.ascontiguousarray(ident.nb_ptc, dtype=np.float32)
            self.pc = np.asarray(ident.nb_pc, dtype=np.float32)
            self.classes = list(ident.nb_classes)
            # the per-state tables as C int arrays, not lists of int objects: the byte walk
            # reads one per byte, and 4-byte entries side by side miss the CPU cache less
            self.dfa = (ident.tk_nextmove, _int_array(ident._rowbase), _int_array(ident.tk_output))
            # labels present twice (sr and uz: Latin and Cyrillic columns): fold
            first: dict[str, int] = {}
            self.alias_pairs = []
            for i, c in enumerate(self.classes):
                if c in first:
                    self.alias_pairs.append((first[c], i))
                else:
                    first[c] = i
            # one vector step when no column is folded twice or into a folded one (else the loop)
            to, fr = [i for i, _ in self.alias_pairs], [j for _, j in self.alias_pairs]
            self.alias_vector = len(set(to)) == len(to) and len(set(fr)) == len(fr) and not set(to) & set(fr)
            self.alias_to = np.array(to, dtype=np.intp)
            self.alias_from = np.array(fr, dtype=np.intp)
            # py3langid keeps the unrestricted model (for set_languages) and the float16 table we
            # copied above: ~40 MB per worker process; its own classify() can score with our copy
            ident._full_model = None
            ident.nb_ptc = self.ptc
        except (ImportError, AttributeError):
            self.visit_counts = None
        self.native = self.native_tables = None
        if self.visit_counts is not None:
            self._use_native()

    def _use_native(self) -> None:
        """The same scoring in C (tasks/_native.c) when the package was built with it and
        the tables have the element types it reads; numpy otherwise."""
        try:
            from tasks._native import langid_score
        except ImportError:
            return
        np = self.np
        nextmove, rowbase, output = self.dfa
        if not all(getattr(a, "itemsize", 0) == 4 for a in (nextmove, rowbase, output)):
            return
        self.native_tables = (nextmove, rowbase, output, self.ptc, np.ascontiguousarray(self.pc),
                              np.ascontiguousarray(self.alias_to, dtype=np.int32),
                              np.ascontiguousarray(self.alias_from, dtype=np.int32))
        self.native = langid_score

    def classify(self, text: str) -> tuple[str, float]:
        if self.visit_counts is None:
            return self.ident.classify(text)
        np = self.np
        if text.isupper():
            text = text.lower()
        data = text.encode("utf-8", errors="surrogatepass")
        if self.native is not None:
            got = self.native(*self.native_tables, data)
            if got is None:
                return "und", 0.0
            return self.classes[got[0]], got[1]
        visits = self.visit_counts(*self.dfa, data)
        if not visits:
            return "und", 0.0
        idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
        counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
        scores = np.log1p(counts) @ self.ptc[idx] + self.pc
        scores *= 1.0 / (len(data) ** 0.5)
        probs = np.exp(scores - scores.max())
        probs /= probs.sum()
        if self.alias_vector:
            probs[self.alias_to] += probs[self.alias_from]
            probs[self.alias_from] = 0.0
        else:
            for i, j in self.alias_pairs:
                probs[i] += probs[j]
                probs[j] = 0.0
        i = int(probs.argmax())
        return self.classes[i], float(probs[i])


def _int_array(values):
    """values as an array.array of C ints when they fit (else unchanged)."""
    import array
    try:
        return array.array("i", values)
    except (OverflowError, TypeError):
        return values


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
    return _model


def _by_script(sample: str) -> tuple[str | None, int]:
    """(language decided from the script alone or None, rough number of letters)."""
    data = sample.encode("utf-8", "surrogatepass")
    cls = data.translate(_BYTE_CLASS)
    latin, cyr = cls.count(b"l"), cls.count(b"c")
    greek, arabic, hebrew = cls.count(b"g"), cls.count(b"a"), cls.count(b"h")
    han, hangul = cls.count(b"z"), cls.count(b"k")
    kana = data.count(b"\xe3\x81") + data.count(b"\xe3\x82") + data.count(b"\xe3\x83")
    thai = data.count(b"\xe0\xb8") + data.count(b"\xe0\xb9")
    other = cls.count(b"i") - thai + cls.count(b"j") - kana
    letters = latin + cyr + greek + arabic + hebrew + han + hangul + kana + thai + other
    if letters == 0 or latin + cyr >= letters / 2:
        return None, letters          # Latin or Cyrillic: the model decides
    cjk = han + hangul + kana
    if cjk * 2 >= letters:
        if kana >= 3 or kana * 10 >= cjk:
            return "ja", letters
        if hangul * 2 >= cjk:
            return "ko", letters
        return "zh", letters
    for lang, n in (("el", greek), ("he", hebrew), ("th", thai)):
        if n * 2 >= letters:
            return lang, letters
    if arabic * 2 >= letters and not _NOT_ARABIC.search(sample) and _ARABIC_ONLY.search(sample):
        return "ar", letters
    return None, letters


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of text (on its first PREFIX_CHARS chars), or None when the
    text is too short or the model is not confident."""
    if not text:
        return None
    sample = text[:PREFIX_CHARS]
    lang, letters = _by_script(sample)
    if letters < MIN_LETTERS:
        return None
    if lang is not None:
        return lang
    model = _get_model()
    # most pages are clear after a few sentences: a short first look, the whole
    # prefix only when it is not sure (devset: same accuracy, half the time)
    code, conf = model.classify(sample[:QUICK_CHARS])
    if conf < QUICK_CONFIDENCE and len(sample) > QUICK_CHARS:
        code, conf = model.classify(sample)
    if conf < MIN_CONFIDENCE or code == "und":
        return None
    return code
