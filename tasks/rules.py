"""Load the boilerplate rule tables (tasks/rules/*.yaml) and compile them once.

Rules are data. Each YAML file holds one concept group (share, comments, related ...);
inside it, every concept names the reason code it gives and lists, per language
(`any`, `ar`, `en`, `fr`, `de`, `es`, `ru`, `pl`, `el`, `zh` ...):

* ``lines``: whole-line phrases, compared after :func:`line_key` (casefold, outer
  punctuation/bullets stripped): one dict lookup per line, whatever the table size;
* ``patterns``: regular expressions (case-insensitive). Patterns starting with ``^`` are
  matched at the line start (one combined ``re.match`` per line); the others are
  searched anywhere (one combined ``re.search``, only for lines that pass a cheap
  literal pre-check when the pattern has one).

A concept may set ``max_chars`` (longer lines never match it) and ``starts_section``
(``comments`` / ``related``: a line of that concept opens a section whose following
lines are comments / other articles' headlines).

``agencies.yaml`` is special: ``agencies.<lang>.names``, ``byline_prefix.<lang>``,
``byline_suffix.<lang>``, ``byline_title.<lang>`` and ``byline_role.<lang>`` feed the
dateline/byline recogniser of tasks/fields.py; ``article.yaml``'s ``list_header.<lang>`` names
the headers of a list inside an article ("Ingredients").

A user adds rules without touching code: point ``TextCleanConfig.rules_dir`` (or
``load_rules(extra_dir)``) at a directory of YAML files in the same layout. Their lists are
appended to the built-in ones (same concept and language), new concepts are added, and a
scalar (``reason``, ``max_chars``) overrides the built-in value.

Everything is compiled once per (rules_dir, languages) and cached at module level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when available: 10x faster

from tasks.normalize import ARABIC_LETTER_FOLDS, ARABIC_MARKS, normalize_text
from tasks.reasons import LINE_REASONS

try:    # the matcher in C (tasks/_native.c, its word gate too); absent when not compiled:
    # LineRules.match_py and word_heads_py
    from tasks._native import rule_match as _rule_match
except ImportError:
    _rule_match = None

BUILTIN_DIR = Path(__file__).with_name("rules")
LANG_KEYS_ALL = "*"
# word lists by language that are no line concept (tasks/fields.py reads them)
_WORD_TABLES = ("byline_prefix", "byline_suffix", "byline_title", "byline_role", "list_header")
_META_KEYS = {"reason", "max_chars", "starts_section", "toolbar_of"}

# characters stripped from both ends of a line before the whole-line lookup
KEY_STRIP_CHARS = " \t\u00a0•·|»«›‹>-–—:：;*#→←▶►◄▸▹✓✔…\"'“”„‘’()[]{}【】「」<>!！?？.,،。、/\\_=+~^"
_WS_RE = re.compile(r"\s+")
squeeze_spaces = _WS_RE.sub     # squeeze_spaces(" ", key): runs of white space in a line key become one space


# The rules see a line, and the tables' phrases and patterns, in one Arabic spelling: marks dropped
# (harakat, tanween, shadda: "اقرأ أيضًا"), alef forms, alef maqsura and teh marbuta folded as
# match_key folds them ("اقرا ايضا", "مقالات ذات صله"). tasks/_native.c rule_form is the twin.
# Turkish "İ" as "I" (casefold writes it "i" and a combining dot: "İlgili Haberler" is "ilgili haberler")
# Greek vowels without their tonos: capitals drop it ("ΣΧΕΤΙΚΑ ΑΡΘΡΑ" is "Σχετικά άρθρα")
GREEK_TONOS_FOLDS = tuple(zip("ΆΈΉΊΌΎΏΐάέήίΰόύώ", "ΑΕΗΙΟΥΩϊαεηιϋουω"))
_RULE_FOLD = {**{ord(a): b for a, b in ARABIC_LETTER_FOLDS}, **{ord(m): None for m in ARABIC_MARKS}, 0x130: "I",
              **{ord(a): b for a, b in GREEK_TONOS_FOLDS}}
_RULE_FOLDABLE = re.compile("[" + "".join(a for a, _ in ARABIC_LETTER_FOLDS + GREEK_TONOS_FOLDS) + ARABIC_MARKS
                            + "\u0130]")


def rule_form(line: str) -> str:
    """The line as the rules see it (the line itself when nothing in it folds)."""
    return line if line.isascii() or _RULE_FOLDABLE.search(line) is None else line.translate(_RULE_FOLD)


def line_key(line: str) -> str:
    """The key a line is looked up by in the whole-line tables."""
    return folded_line_key(rule_form(line).casefold())


def folded_line_key(folded: str) -> str:
    """line_key of a line the caller has already put in the rules' spelling (rule_form) and
    casefolded (one casefold per line)."""
    k = folded.strip(KEY_STRIP_CHARS)
    if "  " in k or "\t" in k:
        k = squeeze_spaces(" ", k)
    return k


@dataclass
class Concept:
    name: str
    reason: str
    max_chars: int = 120
    starts_section: str | None = None
    # a toolbar concept: a line made only of two or more of these concepts' whole-line phrases,
    # in any language ("Print Send Share", "A A A Drukuj", "Email Εκτύπωση")
    toolbar_of: list[str] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)      # lang -> phrases
    patterns: dict[str, list[str]] = field(default_factory=dict)   # lang -> regexes


@dataclass
class RuleData:
    """The merged, uncompiled tables."""

    concepts: dict[str, Concept]
    agencies: dict[str, list[str]]
    byline_prefix: dict[str, list[str]]
    byline_suffix: dict[str, list[str]]
    byline_title: dict[str, list[str]]
    byline_role: dict[str, list[str]]
    list_header: dict[str, list[str]]
    files: list[str]


def _merge_file(data: dict, path: Path, concepts: dict[str, Concept],
                agencies: dict[str, list[str]], words: dict[str, dict[str, list[str]]]) -> None:
    for cname, body in (data or {}).items():
        if not isinstance(body, dict):
            raise ValueError(f"{path}: concept {cname!r} must be a mapping")
        if cname == "agencies":
            for lang, v in body.items():
                names = v.get("names", []) if isinstance(v, dict) else v
                agencies.setdefault(lang, []).extend(_phrases(names))
            continue
        if cname in words:
            for lang, v in body.items():
                words[cname].setdefault(lang, []).extend(_phrases(v))
            continue
        c = concepts.get(cname)
        if c is None:
            reason = body.get("reason")
            if reason is None:
                raise ValueError(f"{path}: concept {cname!r} has no reason")
            c = concepts[cname] = Concept(name=cname, reason=reason)
        if "reason" in body:
            c.reason = body["reason"]
        if "max_chars" in body:
            c.max_chars = int(body["max_chars"])
        if "starts_section" in body:
            c.starts_section = body["starts_section"]
        if "toolbar_of" in body:
            c.toolbar_of = [str(x) for x in body["toolbar_of"] or []]
        if c.reason not in LINE_REASONS:
            raise ValueError(f"{path}: concept {cname!r}: unknown reason {c.reason!r}")
        for lang, v in body.items():
            if lang in _META_KEYS:
                continue
            if not isinstance(v, dict):
                raise ValueError(f"{path}: {cname}.{lang} must hold `lines` and/or `patterns`")
            c.lines.setdefault(lang, []).extend(_phrases(v.get("lines")))
            for x in v.get("patterns", []) or []:
                re.compile(str(x), re.I)   # fail loudly; with the flags LineRules uses, so re's cache serves it
                c.patterns.setdefault(lang, []).append(str(x))


def _phrases(items) -> list[str]:
    """A table's phrases in the form the lines they are compared with have (tasks/normalize.py
    normalize_text): a phrase typed with a zero-width non-joiner ("دیدگاه‌ها"), a tatweel, a
    full-width colon inside ("用户名：") or an entity would otherwise never meet its line."""
    return [p for p in (normalize_text(str(x)) for x in items or []) if p]


@lru_cache(maxsize=8)
def load_rule_data(extra_dir: str | None = None) -> RuleData:
    """Read the built-in tables, then the YAML files of `extra_dir` (merged over them)."""
    concepts: dict[str, Concept] = {}
    agencies: dict[str, list[str]] = {}
    words: dict[str, dict[str, list[str]]] = {name: {} for name in _WORD_TABLES}
    files: list[str] = []
    dirs = [BUILTIN_DIR] + ([Path(extra_dir)] if extra_dir else [])
    for d in dirs:
        if not d.is_dir():
            raise FileNotFoundError(f"rules directory not found: {d}")
        for p in sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")):
            with open(p, encoding="utf-8") as f:
                data = yaml.load(f, Loader=_Loader)
            try:
                _merge_file(data, p, concepts, agencies, words)
            except re.error as e:
                raise ValueError(f"{p}: bad pattern: {e}") from e
            files.append(str(p))
    toolbars = [c for c in concepts.values() if c.toolbar_of]
    if len(toolbars) > 1:
        raise ValueError(f"one toolbar concept at most, not {[c.name for c in toolbars]}")
    for c in toolbars:
        for name in c.toolbar_of:
            if name not in concepts:
                raise ValueError(f"concept {c.name!r}: toolbar_of names unknown concept {name!r}")
    return RuleData(concepts, agencies, words["byline_prefix"], words["byline_suffix"], words["byline_title"],
                    words["byline_role"], words["list_header"], files)


# what separates the buttons of a toolbar flattened into one line (tasks/_native.c toolbar_first
# splits the first word off at the same characters)
TOOLBAR_SEPARATORS = "|/·•,;:"
_TOOLBAR_SPLIT = re.compile(r"[\s" + re.escape(TOOLBAR_SEPARATORS) + "]+")


try:   # the regex parser of the standard library, used to index patterns by what they need
    import re._parser as _sre_parse          # Python >= 3.11
    from re._constants import (LITERAL as _LIT, IN as _IN, BRANCH as _BRANCH, SUBPATTERN as _SUB,
                               MAX_REPEAT as _MAXR, MIN_REPEAT as _MINR, AT as _AT, RANGE as _RANGE,
                               CATEGORY as _CAT, CATEGORY_DIGIT as _DIGIT)
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse            # type: ignore
    from sre_constants import (LITERAL as _LIT, IN as _IN, BRANCH as _BRANCH, SUBPATTERN as _SUB,  # type: ignore
                               MAX_REPEAT as _MAXR, MIN_REPEAT as _MINR, AT as _AT, RANGE as _RANGE,
                               CATEGORY as _CAT, CATEGORY_DIGIT as _DIGIT)

_TOKEN_RE = re.compile(r"\w+")
_PREFIX3_RE = re.compile(r"\b\w{1,3}")           # the first 3 characters of each \w+ token
# ... the same on an ASCII line (\w and \b agree there), without the Unicode tables: ~1/4 faster
_PREFIX3_ASCII_RE = re.compile(r"\b\w{1,3}", re.ASCII)
# ... and of each run of other word characters that a Chinese or Japanese character opens: those
# scripts put no space before a Latin word ("本网站使用Cookie以改善": "coo"), and the gate would not
# find the Latin literals of the rules inside them
# (a lookahead: the heads may overlap, "é中ap" holds "é中a" and "ap")
_GLUED_PREFIX3_RE = re.compile("(?<=[\u3000-\U0010ffff])(?=([^\\W\u3000-\U0010ffff]\\w{0,2}))")


def word_heads_py(low: str, keys: frozenset) -> frozenset[str]:
    """The first 1-3 word characters of each token of `low`, and of each run of word characters
    below U+3000 that a Chinese or Japanese character opens, that are in `keys` (the Python twin of
    tasks/_native.c word_heads)."""
    if low.isascii():
        return keys.intersection(_PREFIX3_ASCII_RE.findall(low))
    heads = keys.intersection(_PREFIX3_RE.findall(low))
    if _CJK_CHAR_RE.search(low) is not None:
        heads |= keys.intersection(_GLUED_PREFIX3_RE.findall(low))
    return heads


_CJK_CHAR_RE = re.compile("[\u3000-\U0010FFFF]")  # what max(line) >= "\u3000" tells, without a Python loop
_LEAD = " \t([{\"'“„«‹»›•·*-–—.,;:|>"
_CJK_PAT_RE = re.compile(r"[\u3000-\u9fff]|\\u[34-9][0-9a-f]{3}")
_DIGITS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")


def _first_chars(items) -> frozenset | None:
    """The casefolded characters a match of `items` can start with; None = anything."""
    items = list(items)
    for i, (op, av) in enumerate(items):
        if op is _AT:
            continue
        if op is _LIT:
            return frozenset(chr(av).casefold()[:1])
        if op is _IN:
            out = set()
            for op2, av2 in av:
                if op2 is _LIT:
                    out.add(chr(av2).casefold()[:1])
                elif op2 is _RANGE and av2[1] - av2[0] <= 64:
                    out.update(chr(c).casefold()[:1] for c in range(av2[0], av2[1] + 1))
                elif op2 is _CAT and av2 is _DIGIT:
                    out.update(_DIGITS)
                else:
                    return None
            return frozenset(out)
        if op is _SUB:
            return _first_chars(av[-1])
        if op is _BRANCH:
            out = set()
            for alt in av[1]:
                f = _first_chars(alt)
                if f is None:
                    return None
                out |= f
            return frozenset(out)
        if op in (_MAXR, _MINR):
            lo, _hi, sub = av
            f = _first_chars(sub)
            if f is None:
                return None
            if lo >= 1:
                return f
            rest = _first_chars(items[i + 1:])
            return None if rest is None else f | rest
        return None
    return None


try:
    from re._constants import MAXREPEAT as _MAXREPEAT
except ImportError:  # pragma: no cover
    from sre_constants import MAXREPEAT as _MAXREPEAT  # type: ignore


def _starts(items: list, k: int, budget: int = 400) -> set[str] | None:
    """Every casefolded k-character string a match of `items` can start with; None when
    that cannot be told (a class too wide, a match possibly shorter than k)."""
    if k == 0:
        return {""}
    if not items:
        return None
    op, av = items[0]
    rest = items[1:]
    if op is _AT:
        return _starts(rest, k, budget)
    if op is _LIT or op is _IN:
        heads = _first_chars([items[0]])
        if heads is None or len(heads) > budget:
            return None
        tails = _starts(rest, k - 1, budget)
        if tails is None or len(heads) * len(tails) > budget:
            return None
        return {h + t for h in heads for t in tails}
    if op is _SUB:
        return _starts(list(av[-1]) + rest, k, budget)
    if op is _BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            r = _starts(list(alt) + rest, k, budget)
            if r is None:
                return None
            out |= r
            if len(out) > budget:
                return None
        return out
    if op is _MAXR or op is _MINR:
        lo, hi, sub = av
        nxt_hi = hi if hi == _MAXREPEAT else hi - 1
        if lo >= 1:
            return _starts(list(sub) + [(op, (lo - 1, nxt_hi, sub))] + rest, k, budget)
        if hi == 0:
            return _starts(rest, k, budget)
        a = _starts(rest, k, budget)
        if a is None:
            return None
        b = _starts(list(sub) + [(op, (0, nxt_hi, sub))] + rest, k, budget)
        if b is None or len(a) + len(b) > budget:
            return None
        return a | b
    return None


def _literal_alts(items) -> list[str] | None:
    """If `items` is a plain literal (or an alternation of plain literals), its strings."""
    items = list(items)
    if len(items) == 1 and items[0][0] is _SUB:
        return _literal_alts(items[0][1][-1])
    if len(items) == 1 and items[0][0] is _BRANCH:
        out: list[str] = []
        for alt in items[0][1][1]:
            a = _literal_alts(alt)
            if a is None:
                return None
            out.extend(a)
        return out
    if items and all(op is _LIT for op, _ in items):
        return ["".join(chr(c) for _, c in items)]
    return None


def _required(items) -> list[str] | None:
    """Literal strings one of which any match must contain (casefolded), or None."""
    best: list[str] | None = None
    run: list[str] = []

    def consider(cands):
        nonlocal best
        if not cands:
            return
        score = min(len(c) for c in cands)
        if score >= 1 and (best is None or score > min(len(c) for c in best)):
            best = cands

    items = list(items)
    for op, av in items:
        if op is _LIT:
            run.append(chr(av))
            continue
        consider(["".join(run)] if run else None)
        run = []
        if op is _SUB:
            consider(_literal_alts(av[-1]) or _required(av[-1]))
        elif op is _BRANCH:
            alts = []
            for alt in av[1]:
                r = _required(alt)
                if r is None:
                    alts = None
                    break
                alts.extend(r)
            consider(alts)
        elif op is _IN and all(o is _LIT for o, _ in av):
            consider([chr(c) for _, c in av])
        elif op in (_MAXR, _MINR) and av[0] >= 1:
            consider(_literal_alts(av[2]) or _required(av[2]))
    consider(["".join(run)] if run else None)
    if best is None:
        return None
    best = [b.casefold() for b in best]
    if min(len(b) for b in best) < 2 and any(b.isalnum() or b.isspace() for b in best):
        return None
    return best


_COMBINE_MIN = 3          # buckets with this many anchored patterns get one alternation
_NUMBERED_REF = re.compile(r"\\[1-9]|\(\?\(\d")   # a numbered group reference: not combinable


class _Anchored:
    """The anchored patterns a line starting with some (first, second) characters tries,
    in table order: the first whose concept allows the line's length wins.

    With _COMBINE_MIN or more, one alternation of them all (compiled on first use) finds in
    a single re call the first that matches (the group that matched tells which), instead
    of one call per pattern; the per-pattern loop is what it falls back to."""

    __slots__ = ("items", "rx", "groups", "max_chars", "_shared")

    def __init__(self, items: list, shared: dict, mx: dict):
        self.items = items
        self.rx = None if len(items) >= _COMBINE_MIN else False     # None: not compiled yet
        self.groups: dict[int, int] = {}
        # the longest line any of its concepts accepts: a longer one (a paragraph) tries none of them
        self.max_chars = max((mx[c] for c, _ in items), default=0)
        self._shared = shared

    def _combine(self):
        key = tuple(id(rx) for _, rx in self.items)
        got = self._shared.get(key)
        if got is None:
            got = (False, {})
            pats = [rx.pattern for _, rx in self.items]
            flags = {rx.flags for _, rx in self.items}
            if len(flags) == 1 and not any(_NUMBERED_REF.search(p) for p in pats):
                groups, g = {}, 1
                for k, (_, rx) in enumerate(self.items):
                    groups[g] = k
                    g += 1 + rx.groups
                try:
                    rx = re.compile("|".join(f"({p})" for p in pats), flags.pop())
                    got = (rx, groups)
                except re.error:            # a global inline flag, a group name used twice
                    pass
            self._shared[key] = got
        self.rx, self.groups = got
        return self.rx

    def first(self, line: str, n: int, mx: dict) -> str | None:
        if n > self.max_chars:
            return None
        rx = self.rx
        if rx is None:
            rx = self._combine()
        items = self.items
        start = 0
        if rx is not False:
            m = rx.match(line)
            if m is None:
                return None
            k = self.groups.get(m.lastindex)
            if k is not None:
                c = items[k][0]
                if n <= mx[c]:
                    return c
                start = k + 1       # the ones before k do not match; k's concept refuses the length
        for j in range(start, len(items)):
            c, rx1 = items[j]
            if n <= mx[c] and rx1.match(line):
                return c
        return None


class LineRules:
    """Compiled matchers for one set of languages.

    Speed: whole lines are one dict lookup; anchored patterns are indexed by the
    characters they can start with (a line only tries the patterns for its first
    character); floating patterns are indexed by a literal they need, found for all of
    them at once by one combined literal search.
    """

    def __init__(self, data: RuleData, langs: tuple[str, ...] | None):
        def use(lang: str) -> bool:
            return langs is None or lang == "any" or lang in langs

        self.exact: dict[str, str] = {}             # line key -> concept name
        self.section_of: dict[str, str] = {}        # concept -> section kind
        self.reason_of: dict[str, str] = {n: c.reason for n, c in data.concepts.items()}   # concept -> reason code
        self._max = {n: c.max_chars for n, c in data.concepts.items()}
        # the keys of the headers of a list inside an article (article.yaml; no concept: never removed for it)
        self.list_headers = frozenset(k for lang, phrases in data.list_header.items() if use(lang)
                                      for k in map(line_key, phrases) if k)
        self.max_chars = max(self._max.values(), default=0)
        self.by_first: dict[str, list[tuple[str, re.Pattern]]] = {}
        self._anch_entries: list[tuple] = []        # (first char, second chars | None, order, concept, rx)
        self.anchored_any: list[tuple[str, re.Pattern, list[str] | None]] = []
        self.floating_any: list[tuple[str, re.Pattern]] = []
        by_lit: dict[str, list[tuple[str, re.Pattern]]] = {}
        for cname, c in data.concepts.items():
            if c.starts_section:
                self.section_of[cname] = c.starts_section
            for lang, phrases in c.lines.items():
                if not use(lang):
                    continue
                for ph in phrases:
                    k = line_key(ph)
                    if k and (k not in self.exact or c.starts_section):
                        self.exact[k] = cname
            for lang, pats in c.patterns.items():
                if not use(lang):
                    continue
                for p in pats:
                    p = rule_form(p)           # the spelling of the lines they see
                    rx = re.compile(p, re.I)
                    parsed = _sre_parse.parse(p, re.I)
                    if p.startswith("^"):
                        first = _first_chars(parsed)
                        if first is None:
                            self.anchored_any.append((cname, rx, _required(parsed)))
                        else:
                            two = _starts(list(parsed), 2)
                            for ch in first:
                                self.by_first.setdefault(ch, []).append((cname, rx))
                            for ch in first:
                                seconds = None if two is None else {t[1] for t in two if t[0] == ch}
                                self._anch_entries.append((ch, seconds, len(self._anch_entries), cname, rx))
                    else:
                        req = _required(parsed)
                        if req is None:
                            self.floating_any.append((cname, rx))
                        else:
                            for lit in req:
                                by_lit.setdefault(lit, []).append((cname, rx))
        self.by_lit = by_lit
        # a toolbar flattened into one line: its words split into the toolbar concept's phrases
        self._toolbar: str | None = None
        self._toolbar_phrases: frozenset[str] = frozenset()
        self._toolbar_heads: frozenset[str] = frozenset()
        self._toolbar_words = 0
        for cname, c in data.concepts.items():
            if not c.toolbar_of:
                continue
            phrases = set()
            for src in c.toolbar_of:
                for lang, lst in data.concepts[src].lines.items():
                    if use(lang):
                        phrases.update(" ".join(_TOOLBAR_SPLIT.split(line_key(ph))) for ph in lst)
            # two-letter Latin buttons ("in", "ok", "aa") are words too: not on their own
            phrases = {ph for ph in phrases if len(ph) > 2 or (ph and not ph.isascii())}
            if phrases:
                self._toolbar = cname
                self._toolbar_phrases = frozenset(phrases)
                self._toolbar_heads = frozenset(ph.split(" ", 1)[0] for ph in phrases)
                self._toolbar_words = max(ph.count(" ") + 1 for ph in phrases)
        # literal gates: a pattern that needs a literal is tried only when the line has it.
        # Word literals are found through the 3-letter prefixes of the line's tokens (one
        # regex findall and a set per line); symbols and CJK literals with `in`.
        gated: list[tuple[str, re.Pattern, bool, list[str] | None]] = []
        gated += [(c, rx, True, req) for c, rx, req in self.anchored_any]
        for lit, lst in by_lit.items():
            for c, rx in lst:
                gated.append((c, rx, False, [lit]))
        gated += [(c, rx, False, None) for c, rx in self.floating_any]
        self._gated = gated
        self._word_gate: dict[str, list[int]] = {}
        self._sym_gate: list[tuple[str, int]] = []
        self._cjk_gate: list[tuple[str, int]] = []
        self._always: list[int] = []
        self._always_cjk: list[int] = []
        for e, (c, rx, anch, req) in enumerate(gated):
            if req is None:
                (self._always_cjk if _CJK_PAT_RE.search(rx.pattern) else self._always).append(e)
                continue
            for lit in req:
                w = lit.strip()
                if not w:
                    continue
                if w[0] >= "\u3000":
                    self._cjk_gate.append((w, e))
                elif not (w[0].isalnum()):
                    self._sym_gate.append((w, e))
                else:
                    first = _TOKEN_RE.match(w)
                    k = first.group()[:3] if first else w[:3]
                    self._word_gate.setdefault(k, []).append(e)
        self._word_keys = frozenset(self._word_gate)
        self._plan: tuple | None = None
        sym_lits = sorted({lit for lit, _ in self._sym_gate}, key=len, reverse=True)
        self._sym_any = re.compile("|".join(map(re.escape, sym_lits))) if sym_lits else None
        # a two-level index on the line's first two characters: a line tries only the few
        # anchored patterns that can start that way (priority = table order)
        any2: dict[str, list] = {}
        by2: dict[str, dict[str, list]] = {}
        for ch, seconds, order, cname, rx in self._anch_entries:
            if seconds is None:
                any2.setdefault(ch, []).append((order, cname, rx))
            else:
                d = by2.setdefault(ch, {})
                for c2 in seconds:
                    d.setdefault(c2, []).append((order, cname, rx))
        self._by2: dict[str, dict[str, _Anchored]] = {}
        self._any2: dict[str, _Anchored] = {}
        combined: dict[tuple, list] = {}        # buckets with the same patterns share one alternation
        for ch in set(any2) | set(by2):
            base = any2.get(ch, [])
            self._any2[ch] = _Anchored([(c, rx) for _, c, rx in base], combined, self._max)
            self._by2[ch] = {c2: _Anchored([(c, rx) for _, c, rx in sorted(lst + base, key=lambda e: e[0])],
                                           combined, self._max)
                             for c2, lst in by2.get(ch, {}).items()}

    def match(self, line: str, key: str | None = None, low: str | None = None, deep: bool = True) -> str | None:
        """The concept name a line matches, or None.

        `key` = line_key(line) and `low` = line.casefold(), if the caller has them.
        deep=False: only the whole-line table and the anchored patterns indexed by first
        character (the cheap part); deep=True adds the literal-gated patterns."""
        if _rule_match is None:
            return self.match_py(line, key, low, deep)
        bare = rule_form(line)
        if bare is not line:
            line, key, low = bare, None, None
        if low is None:
            low = line.casefold()
        if key is None:
            key = folded_line_key(low)
        return _rule_match(self.native_plan(), line, key, low, deep)

    def _anchored_first(self, line: str, low: str, n: int) -> str | None:
        """The concept of the first anchored pattern that matches, among those that can start with
        the line's first two characters (`low` = line.casefold(), `n` the whole line's length)."""
        d2 = self._by2.get(low[0])
        if d2 is None:
            return None
        bucket = d2.get(low[1:2])
        if bucket is None:
            bucket = self._any2[low[0]]
        return bucket.first(line, n, self._max)

    def gated_candidates(self, low: str) -> set[int]:
        """The indexes in `_gated` of the patterns a line (`low`, casefolded, its leading brackets and
        quotes stripped) may match: those whose literal it holds. Word literals are found through the
        3-character heads of the line's tokens (one findall, one set intersection), the symbol
        literals after one combined search (most lines have none), the CJK ones with `in`."""
        cand: set[int] = set()
        wg = self._word_gate
        for t in word_heads_py(low, self._word_keys):
            cand.update(wg[t])
        if self._sym_any is not None and self._sym_any.search(low) is not None:
            for lit, e in self._sym_gate:
                if lit in low:
                    cand.add(e)
        if not low.isascii() and _CJK_CHAR_RE.search(low) is not None:
            for lit, e in self._cjk_gate:
                if lit in low:
                    cand.add(e)
            cand.update(self._always_cjk)
        cand.update(self._always)
        return cand

    def toolbar_match(self, key: str) -> str | None:
        """The toolbar concept when the line key is two or more of its phrases and nothing else
        (each the longest that fits, from the left), else None. tasks/_native.c calls it only for
        a key whose first word opens a phrase (`_toolbar_heads`)."""
        words = _TOOLBAR_SPLIT.split(key)
        n = len(words)
        if n < 2 or words[0] not in self._toolbar_heads:
            return None
        phrases, i, parts = self._toolbar_phrases, 0, 0
        while i < n:
            for k in range(min(self._toolbar_words, n - i), 0, -1):
                if " ".join(words[i:i + k]) in phrases:
                    i += k
                    parts += 1
                    break
            else:
                return None
        return self._toolbar if parts >= 2 else None

    def native_plan(self) -> tuple:
        """The tables in the order tasks/_native.c rule_match reads them (built once)."""
        plan = self._plan
        if plan is None:
            gated = [(c, rx.match if anch else rx.search) for c, rx, anch, _ in self._gated]
            plan = self._plan = (
                self.max_chars, self._max, self.exact, "junk" in self._max, self._by2, self._any2,
                self._word_keys, self._word_gate, self._sym_any.search if self._sym_any is not None else None,
                self._sym_gate, self._cjk_gate, self._always, self._always_cjk, gated, _LEAD,
                self._toolbar_heads, self.toolbar_match if self._toolbar else None,
                self._max.get(self._toolbar, 0) if self._toolbar else 0, TOOLBAR_SEPARATORS)
        return plan

    def match_py(self, line: str, key: str | None = None, low: str | None = None, deep: bool = True) -> str | None:
        """LineRules.match in Python: the twin of tasks/_native.c rule_match."""
        bare = rule_form(line)
        if bare is not line:
            line, key, low = bare, None, None
        n = len(line)
        if n > self.max_chars or n == 0:
            return None
        if low is None:
            low = line.casefold()
        if key is None:
            key = line_key(line)
        mx = self._max
        if not key and "junk" in mx:
            return "junk"                 # nothing but punctuation, bullets, symbols
        c = self.exact.get(key)
        if c is not None and n <= mx[c] + 20:
            return c
        # anchored patterns see the line without leading brackets, quotes and bullets
        # ("(Alle Angaben ohne Gewähr)", "» Read more"); those that ask for such a character
        # first (r"^\(photo\b", r"^(\[[^\]]+\]\s*){2,}$") are tried on the line as it is, before
        if line[0] in _LEAD:
            c = self._anchored_first(line, low, n)
            if c is not None:
                return c
            line = line.lstrip(_LEAD)
            if not line:
                return "junk" if "junk" in mx else None
            low = line.casefold()
        c = self._anchored_first(line, low, n)
        if c is not None:
            return c
        if self._toolbar is not None and n <= mx[self._toolbar]:
            c = self.toolbar_match(key)
            if c is not None:
                return c
        if not deep:
            return None
        cand = self.gated_candidates(low)
        if cand:
            gated = self._gated
            for e in sorted(cand):
                c, rx, anch, _ = gated[e]
                if n <= mx[c] and (rx.match(line) if anch else rx.search(line)):
                    return c
        return None

    def compile_all(self) -> None:
        """Compile now the alternations otherwise compiled on a line's first use (~0.1 s for
        every language's tables). A short run only pays for the ones its lines need; a benchmark
        calls this in its warm-up so that it times the steady per-line cost."""
        for bucket in self._any2.values():
            if bucket.rx is None:
                bucket._combine()
        for buckets in self._by2.values():
            for bucket in buckets.values():
                if bucket.rx is None:
                    bucket._combine()


def get_rules(langs: tuple[str, ...] | None = None, extra_dir: str | None = None) -> LineRules:
    """Compiled rules for these languages (plus `any`); None = every language. One object per
    (langs, extra_dir), however they are passed (lru_cache alone keys get_rules() apart from
    get_rules(None, None), and compiled the tables twice)."""
    return _compiled_rules(langs, extra_dir)


@lru_cache(maxsize=64)
def _compiled_rules(langs: tuple[str, ...] | None, extra_dir: str | None) -> LineRules:
    return LineRules(load_rule_data(extra_dir), langs)


def _for_languages(table: dict[str, list[str]], langs: Iterable[str] | None) -> list[str]:
    """The entries of a per-language table for `langs` plus `any` (None = every language)."""
    out: list[str] = []
    for lang, names in table.items():
        if langs is None or lang == "any" or lang in langs:
            out.extend(names)
    return out


def agency_names(extra_dir: str | None = None, langs: Iterable[str] | None = None) -> list[str]:
    return _for_languages(load_rule_data(extra_dir).agencies, langs)


def byline_prefixes(extra_dir: str | None = None, langs: Iterable[str] | None = None) -> list[str]:
    return _for_languages(load_rule_data(extra_dir).byline_prefix, langs)


def byline_suffixes(extra_dir: str | None = None, langs: Iterable[str] | None = None) -> list[str]:
    return _for_languages(load_rule_data(extra_dir).byline_suffix, langs)


def byline_roles(extra_dir: str | None = None, langs: Iterable[str] | None = None) -> list[str]:
    return _for_languages(load_rule_data(extra_dir).byline_role, langs)


def byline_titles(extra_dir: str | None = None, langs: Iterable[str] | None = None) -> list[str]:
    return _for_languages(load_rule_data(extra_dir).byline_title, langs)
