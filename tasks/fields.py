"""Fields read off the text: title / site suffix, dateline and byline.

General rules only; the words they need (agency names, "By", "كتب", "بقلم" ...) come
from tasks/rules/agencies.yaml, so a user extends them without touching code.

* ``split_title_site(line) -> (title, site_name | None)``: a ``<title>``-style line
  "Headline - Site Name" / "Headline | Site" / "Headline — Site" / "标题-栏目-网站" is cut at
  its last separator when the tail is short and looks like a name, not part of the headline.
* ``parse_credit_line(line) -> (dateline, byline) | None``: a whole line that is only a credit:
  "بغداد – الجورنال", "بغداد/ المدى", "By Jane Doe", "كتب/ فلان", "PARIS (AFP)", a wire credit
  "باريس 03 جمادى الأولى 1448 هـ الموافق 23 نوفمبر 2026 م واس", "السومرية نيوز/ بغداد" (the outlet,
  then its place), "بغداد: علي الموسوي", "أربيل- 24-11-2026".
* ``split_dateline_byline(par) -> (dateline, byline, rest)``: the same credit glued to the
  start of the first paragraph: "العراق/ علي جواد/ الأناضول-  أجرى …",
  "WASHINGTON (Reuters) - The …", "(Reuters) — The …", "رام الله 23-11-2026 وفا- …",
  "МОСКВА, 24 ноября. /ТАСС/. …", "新华社北京11月24日电（记者张三）…", "القاهرة (الأهرام أونلاين) - …",
  "الجزائر - استقبل …" (a place alone before a dash, in Arabic script or capitals); given the page's
  outlet, also its own name as the credit: "شفق نيوز/ صوت …", "عمان - الغد - قررت …".
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from tasks.dates import find_dates, is_month_name
from tasks.normalize import ARABIC_CHAR
from tasks.rules import agency_names, byline_prefixes, byline_roles, byline_suffixes, byline_titles, get_rules

__all__ = ["split_title_site", "site_around_headline", "parse_credit_line", "split_dateline_byline", "is_agency",
           "byline_after_date"]

# separators between a headline and the site name, strongest first
_TITLE_SEPS = (" | ", " - ", " – ", " — ", " :: ", " // ", " · ", " • ", " « ", " » ", " › ", " ‹ ", " ~ ", " _ ", " : ")
# CJK titles part headline and site without spaces: these split them (strongest first); a colon
# ("<headline>：日本ニュース") also stands before a site name printed after a headline
_CJK_SEPS = ("-", "_", "|", "｜", "—", "－")
_CJK_SEP_CHARS = ":：" + "".join(_CJK_SEPS)
_CJK_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TERMINAL = ".!?؟。！？…।"


def _is_name_like(s: str, cjk: bool) -> bool:
    """A short segment that can be a site or section name."""
    s = s.strip()
    if not s:
        return False
    if cjk:
        return len(s) <= 16
    words = s.split()
    if len(words) > 6 or len(s) > 50:
        return False
    return s[-1] not in _TERMINAL or s.endswith((".com", ".ru", ".net", ".org", ".pl", ".gr", ".cn", ".uk"))


def split_title_site(line: str) -> tuple[str, str | None]:
    """Cut a site-name suffix (or, rarely, prefix) off a <title>-style line.

    Returns (title, site_name); site_name is None when nothing looks like one.
    """
    s = (line or "").strip()
    if not s:
        return s, None
    cjk = bool(_CJK_RE.search(s))
    best = None
    for sep in _TITLE_SEPS:
        i = s.rfind(sep)
        if i <= 0:
            continue
        head, tail = s[:i].strip(), s[i + len(sep):].strip()
        if not head or not tail:
            continue
        if _is_name_like(tail, cjk) and len(tail) < len(head):
            best = (head, tail)
            break
    if best is None and cjk:
        for sep in _CJK_SEPS:
            parts = [p.strip() for p in s.split(sep)]
            if len(parts) >= 2 and parts[0] and any(parts[1:]) and len(parts[0]) >= max(len(p) for p in parts[1:]) \
                    and all(_is_name_like(p, True) for p in parts[1:] if p):
                tail = next((p for p in reversed(parts[1:]) if p), None)
                best = (parts[0], tail)
                break
            # "中新视频-<headline>": the site or section before the headline
            if len(parts) == 2 and all(parts) and len(parts[0]) <= 8 < len(parts[1]) \
                    and _CJK_RE.match(parts[0][-1]) and _CJK_RE.match(parts[1][0]):
                best = (parts[1], parts[0])
                break
    if best is None:
        return s, None
    head, tail = best
    if _is_a_date(tail):
        return split_title_site(head)       # "Headline - Site - 24/11/2026": a date is no site
    m = _DATE_AFTER_NAME.search(tail)
    if m is not None and not any(ch.isdigit() for ch in tail[:m.start()]):
        tail = tail[:m.start()]  # "Headline - РИА Новости, 23.11.2026": the name without the date
    # "Site | Section | Headline": several separators, headline last and longest
    # is rare in dumps; we keep the head as it is.
    # a second suffix ("Headline - Section - Site"): cut again when the rest stays a title
    for sep in _TITLE_SEPS:
        i = head.rfind(sep)
        if i > 0:
            h2, t2 = head[:i].strip(), head[i + len(sep):].strip()
            if h2 and _is_name_like(t2, cjk) and len(t2.split()) <= 3 and len(h2) > 3 * len(t2):
                head = h2
            break
    return head, tail


_TITLE_SEP_RE = re.compile("|".join(map(re.escape, _TITLE_SEPS)))
_TITLE_SEP_CHARS = "".join(sorted(set("".join(_TITLE_SEPS))))


def site_around_headline(line: str, headline: str) -> str | None:
    """The site name a <title>-style line puts before or after the headline the page prints:
    "بوابة الأهرام : <headline>", "<headline> :: Site". None when the rest is no name."""
    s, h = (line or "").strip(), (headline or "").strip()
    if not h or len(s) <= len(h):
        return None
    if s.startswith(h):
        rest, sep_at_end = s[len(h):], False
    elif s.endswith(h):
        rest, sep_at_end = s[:-len(h)], True
    else:
        return None
    # the separator must stand between the two, with spaces round it, as split_title_site wants
    # (in Chinese and Japanese without them: "<headline>：日本ニュース", "<headline>|新浪网")
    name = rest.strip().strip(_TITLE_SEP_CHARS).strip()
    cjk = bool(_CJK_RE.search(name))
    cjk_sep = cjk and (rest[-1] if sep_at_end else rest[0]) in _CJK_SEP_CHARS
    if not cjk_sep and not any(rest.endswith(sep) if sep_at_end else rest.startswith(sep) for sep in _TITLE_SEPS):
        return None
    return name if name and _is_name_like(name, cjk) and len(name) < len(h) and not _is_a_date(name) else None


def _is_a_date(s: str) -> bool:
    """The text is a date, give or take a few characters ("Feb. 1, 2016", "9 stycznia 2012")."""
    return any(h.end - h.start >= 0.8 * len(s) for h in find_dates(s))


def title_parts(line: str) -> list[str]:
    """The parts of a <title>-style line between its separators ("News - Health - <headline>")."""
    return [p.strip() for p in _TITLE_SEP_RE.split(line) if p.strip()]


# ---------------------------------------------------------------------------------
# datelines and bylines

_PLACE_WORD = r"[^\W\d_][\w'’.]*"      # a word of a dateline's place (no digits; "St.", "N'Djamena")
# the date a dateline carries after its place: "LONDON, Nov 23", "عمان 23 تشرين الثاني"
_DATE_AFTER_PLACE = re.compile(r"\s*[,،]\s*(?=.*\d)|\s+(?=\d)")
_DATE_AFTER_NAME = re.compile(r"\s*[,،]\s*(?=\d{1,4}[./-]\d{1,2}[./-]\d{2,4}$|\d{1,2}\s+\S+\s+\d{4}$)")


def _place(place: str | None) -> str | None:
    """The place of a dateline without the date printed after it, nor the separators left before
    that date ("الكويت - 23 - 11" -> "الكويت"); None when nothing is left."""
    if place and any(ch.isdigit() for ch in place):
        m = _DATE_AFTER_PLACE.search(place)
        if m is not None and m.start() > 0:
            place = place[:m.start()]
    return (place or "").strip(" ,-–—") or None


class _CreditTables(NamedTuple):
    agencies: set[str]              # casefolded agency names
    prefix: re.Pattern              # "By Jane Doe"
    paren: re.Pattern               # "PARIS (AFP)"
    hyphen: re.Pattern              # "دمشق-سانا"
    wire: re.Pattern                # place, date, agency
    cjk_wire: re.Pattern            # "新华社北京11月24日电"
    dotted_wire: re.Pattern         # "МОСКВА, 24 ноября. /ТАСС/.", "Москва. 24 ноября. INTERFAX.RU -"
    credit_words: frozenset[str]    # the one-word credit openers, casefolded ("by", "von", "كتب")
    titled: re.Pattern              # "د. خالد العمري": a columnist's title and name (byline_title)
    suffixed: re.Pattern            # "김민수 기자": a name and the reporter's title after it (byline_suffix)
    suffixes: tuple[str, ...]       # ... those titles, looked for before the pattern is tried
    roles: frozenset[str]           # casefolded role words a byline may close with after a comma (byline_role)


@lru_cache(maxsize=8)
def _credit_tables(extra_dir: str | None = None) -> _CreditTables:
    agencies = sorted({a.strip() for a in agency_names(extra_dir) if a.strip()}, key=len, reverse=True)
    prefixes = sorted({p.strip().rstrip(":/") for p in byline_prefixes(extra_dir) if p.strip()}, key=len, reverse=True)
    agency_alt = "|".join(re.escape(a) for a in agencies)
    prefix_alt = "|".join(re.escape(p) for p in prefixes)
    agency_set = {a.casefold() for a in agencies}
    # "By Jane Doe", "كتب/ فلان", "Par Jean Dupont", "Автор: ..."
    prefix_re = re.compile(rf"^(?:{prefix_alt})\s*[:/：\-–—]?\s+(?P<who>\S.{{1,60}})$|^(?:{prefix_alt})\s*[:/：]\s*(?P<who2>\S.{{1,60}})$", re.I)
    # "PARIS (AFP)", "WASHINGTON, Nov 3 (Reuters)", "(Reuters)"
    paren_re = re.compile(rf"^(?P<place>[^\W\d_][^()]{{0,40}}?)?\s*[(（]\s*(?P<ag>(?:{agency_alt})(?:\s*[/,]\s*(?:{agency_alt}))*)"
                          r"\s*[)）]\s*", re.I)
    # "دمشق-سانا": the place and an agency joined by a bare hyphen (a hyphenated word otherwise)
    hyphen_re = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})\s*-\s*(?P<ag>{agency_alt})"
                           rf"(?![^\W\d_])\s*(?P<sep>[-–—:])?\s*(?P<rest>.*)$", re.I | re.S)
    # a wire credit, the place, the date, the agency: "رام الله 23-11-2026 وفا- …",
    # "باريس 03 جمادى الأولى 1448 هـ الموافق 23 نوفمبر 2026 م واس"
    wire_re = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})[,،]?\s+(?P<date>\d[^.!?؟\n]{{0,60}}?)\s*"
                         rf"(?P<ag>{agency_alt})(?![^\W\d_])\s*(?P<sep>[-–—:]+)?\s*(?P<rest>.*)$", re.I | re.S)
    # "新华社北京11月24日电（记者张三）…": agency, place, date, "电" (wire), the reporter
    cjk_wire_re = re.compile(rf"^(?P<ag>{agency_alt})(?P<place>[\u4e00-\u9fff]{{2,6}}?)?\s*\d{{1,2}}月\d{{1,2}}日\s*[电電]"
                             r"\s*(?:[（(](?:记者|記者)?\s*(?P<who>[^（()）]{2,20})[)）])?\s*(?P<rest>\S.*)$", re.S)
    # the Russian wires: the place, the day (no year), the agency in slashes or after a full stop
    dotted_wire_re = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})[,.]\s*(?P<date>\d{{1,2}}\s+[^\W\d_]+)\.?\s*"
                                rf"(?:/(?P<ag>{agency_alt})/\.?|(?P<ag2>{agency_alt})\s*[-–—])\s*(?P<rest>\S.*)$", re.S)
    credit_words = frozenset(p.casefold() for p in prefixes if " " not in p)
    titles = sorted({t.strip() for t in byline_titles(extra_dir) if t.strip()}, key=len, reverse=True)
    # (case-sensitive: a title is capitalised where the script has case; a name follows it)
    titled_re = re.compile(rf"^(?:{'|'.join(re.escape(t) for t in titles) or '(?!)'})(?:\s+|(?<=\.))(?P<who>\S.*)$")
    suffixes = sorted({t.strip() for t in byline_suffixes(extra_dir) if t.strip()}, key=len, reverse=True)
    # (an e-mail address may follow: "김민수 기자 minsu@example.co.kr")
    suffixed_re = re.compile(rf"^(?P<who>[^\W\d_][^@:/]{{0,30}}?)\s*(?:{'|'.join(map(re.escape, suffixes)) or '(?!)'})"
                             r"(?:\s+\S+@\S+)?$")
    roles = frozenset(r.strip().casefold() for r in byline_roles(extra_dir) if r.strip())
    return _CreditTables(agency_set, prefix_re, paren_re, hyphen_re, wire_re, cjk_wire_re, dotted_wire_re, credit_words,
                         titled_re, suffixed_re, tuple(suffixes), roles)


_ROLE_SEP = re.compile(r"[:/：\-–—]")
# what the date of a wire credit holds: a year, or a day and a month in figures
_WIRE_DATE = re.compile(r"\d{4}|\d{1,2}\s*[-/.]\s*\d{1,2}")


_DIGIT = re.compile(r"\d")


def _wire_credit(wire_re: re.Pattern, s: str) -> re.Match | None:
    """The match of a wire credit at the start of s (its "rest" is empty for a whole line)."""
    if _DIGIT.search(s, 0, 80) is None:
        return None             # (no date near the start: the agency alternation is not tried)
    m = wire_re.match(s)
    return m if m is not None and _WIRE_DATE.search(m.group("date")) else None


def is_agency(s: str, extra_dir: str | None = None) -> bool:
    return s.strip().casefold() in _credit_tables(extra_dir).agencies


def _short_name(s: str, max_words: int = 4) -> bool:
    s = s.strip()
    if not s or len(s) > 40 or s[-1] in _TERMINAL:
        return False
    w = s.split()
    return 1 <= len(w) <= max_words and not any(c.isdigit() for c in s)


# the word that joins two authors' names ("By JENNIFER MCDERMOTT and MICHAEL CASEY Associated Press")
_NAMES_JOINED = re.compile(r"\s+(?:and|&|und|et|y|e|i|и|και)\s+")


def _joined_names(who: str) -> bool:
    """Two or more names of at most four words each, joined by "and" (in the credit's language)."""
    parts = _NAMES_JOINED.split(who)
    return len(parts) >= 2 and all(_short_name(p) and _name_shaped(p) for p in parts)


def capitalised_words(s: str) -> bool:
    """Every word starts with a capital, where its script has case (a name, not "Green wins award")."""
    return all(w[0].isupper() or w[0].lower() == w[0].upper() for w in s.split())


_GLUED_CASE = re.compile(r"[^\W\d_](?<=[a-zà-ÿα-ωа-я])[A-ZÀ-ÞΑ-ΩА-Я]")


def _name_shaped(s: str) -> bool:
    """A place or a person/outlet name: in a cased script it starts with a capital, and no
    word is two menu items glued together ("ΣελίδαΕιδήσεις")."""
    s = s.strip()
    first = s[:1]
    if first.lower() != first.upper() and not first.isupper():
        return False
    return _GLUED_CASE.search(s) is None


_PHOTO_CREDIT = re.compile(r"(?:fot|foto|photo|zdj|zdjęcie|bild|φωτ|фото|(?:ال)?صورة|الصور|تصوير)\b", re.I)
# "【聯合報╱記者劉明岩／鹿港報導】", "【中廣新聞／陳奕華】": the outlet, the reporter (the credit), then
# the place before "reports"; "即時報導" is a "report as it happens", no place
_CJK_OUTLET_CREDIT = re.compile(
    r"^(?P<who>[\u4e00-\u9fff]{1,8}?(?:報|报|新聞|新闻|網|网|社|台|臺)\s*[╱/／]\s*(?:記者|记者)?\s*[\u4e00-\u9fff·]{2,4}"
    r"(?:\s*[、,，]\s*[\u4e00-\u9fff·]{2,4})*)(?:\s*[╱/／]\s*(?P<place>[\u4e00-\u9fff]{2,6}?)(?:報導|报道|報道|报导))?$")
_CJK_NOT_A_PLACE = frozenset({"即時", "即时"})
# "彭瑜 賀懷湘文/圖": the writers of the text and pictures
_CJK_TEXT_PHOTO_CREDIT = re.compile(r"^(?P<who>[\u4e00-\u9fff·]{2,4}(?:[\s、,，]+[\u4e00-\u9fff·]{2,4})*)\s*文\s*[/／╱]\s*(?:圖|图|攝|摄)$")
# "记者陈钧凯／台北报导": the reporter after the word for reporter, the place before "reports"
_CJK_CREDIT = re.compile(r"^(?:本报|本報)?(?:记者|記者)\s*(?P<who>[\u4e00-\u9fff·]{2,8}(?:\s*[、,，]\s*[\u4e00-\u9fff·]{2,8})*)"
                         r"\s*[/／]\s*(?P<place>[\u4e00-\u9fff]{2,8}?)(?:报道|報導|报导|報道|电|電)$")


def parse_credit_line(line: str, extra_dir: str | None = None,
                      site_name: str | None = None) -> tuple[str | None, str | None] | None:
    """(dateline, byline) when the whole line is a credit, else None. A first part that is an
    agency or the page's site_name is no place: "هسبريس - محمد الراجي" is all byline."""
    s = (line or "").strip().strip("|•·")
    s = s.strip()
    if not s or len(s) > 80 or s[-1] in ".!?؟。":
        return None
    tables = _credit_tables(extra_dir)
    m = _CJK_CREDIT.match(s)
    if m:
        return m.group("place"), m.group("who")
    m = _CJK_TEXT_PHOTO_CREDIT.match(s) if "文" in s else None
    if m:
        return None, m.group("who")
    m = _CJK_OUTLET_CREDIT.match(s.removeprefix("【").removesuffix("】")) if "/" in s or "／" in s or "╱" in s else None
    if m:
        place = m.group("place")
        return (place if place not in _CJK_NOT_A_PLACE else None), m.group("who")
    m = tables.prefix.match(s)
    if m:
        # (without what a bar adds after the name: "Reporter: X | Editor: Y")
        who = (m.group("who") or m.group("who2") or "").split(" | ")[0].strip().rstrip(" ,;:：-–—|")
        who = _name_before_date(who, extra_dir) or who     # "By Jane Doe - 11/18/19 11:04 PM EST"
        who = _without_role(who, tables.roles)  # "By Rachel Green, Science Correspondent"
        # (several words all in lower case are a phrase: "Από τις αντίστοιχες περσινές εκδηλώσεις",
        # "from last year's events"; one is a user's name: "von eseppelt")
        words = who.split()
        if len(words) > 1 and all(w[:1].islower() for w in words):
            return None
        if who and (_short_name(who, 6) or "/" in who or "," in who or _joined_names(who)):
            if s.startswith("ال") and not _ROLE_SEP.search(s[:len(s) - len(who)]):
                return None, s      # "المحرر السياسي": a definite role with no separator names itself
            return None, who
    m = tables.titled.match(s)
    if m and _short_name(m.group("who")) and capitalised_words(m.group("who")):
        return None, s              # "د. خالد العمري": the title is part of the byline
    m = tables.suffixed.match(s) if any(t in s for t in tables.suffixes) else None
    if m and _short_name(m.group("who"), 3):
        place, _, who = m.group("who").rpartition("=")     # "워싱턴=이정훈 특파원": the place, then the name
        return place.strip() or None, who.strip()
    m = tables.paren.match(s)
    if m and m.end() >= len(s) - 1:
        place = _place(m.group("place"))
        if place is not None and len(place.split()) > 3:
            return None             # "جنود عراقيون على الحدود مع سوريا (أ ف ب)": a photo's caption
        return place, m.group("ag")
    m = tables.hyphen.match(s)
    if m and not m.group("rest") and (ARABIC_CHAR.match(m.group("place")) or m.group("place").isupper()):
        return m.group("place"), m.group("ag")       # (not "Anti-AP": a hyphenated word)
    m = _wire_credit(tables.wire, s)
    if m and not m.group("rest").strip():
        return m.group("place"), m.group("ag")
    # "PLACE SEP CREDIT" or "PLACE SEP CREDIT SEP CREDIT"
    parts = [p.strip() for p in re.split(r"\s*(?:[–—]|\s-\s|/|\s-|-\s)\s*", s) if p.strip()]
    if len(parts) >= 2 and all(_short_name(p) and _name_shaped(p) for p in parts):
        place, credit = parts[0], " / ".join(parts[1:]) if len(parts) > 2 else parts[1]
        if len(parts) > 2:
            credit = _rejoin(s, parts[1:])
        if _PHOTO_CREDIT.match(place):
            return None             # "Fot. Jan Nowak / Agencja Gazeta": a picture's credit
        if is_agency(place, extra_dir) or names_outlet(place, site_name) or _OUTLET_DOMAIN.fullmatch(place):
            if len(parts) == 2 and len(parts[1].split()) == 1 and not is_agency(parts[1], extra_dir):
                return parts[1], place      # "السومرية نيوز/ بغداد": the outlet, then one word, its place
            return None, s
        # where letters have case, a place in capitals ("WASHINGTON / …") or an agency's credit
        # ("Frankfurt/Main / dpa"): else two capitalised words about a separator are as often a
        # menu's items or a teaser's title ("Kontakt/Impressum", "Upcycling – Basteln mit Müll")
        cased = place[:1].lower() != place[:1].upper()
        if len(place.split()) <= 3 and (not cased or place.isupper() and len(place) >= 3
                                        or any(is_agency(p, extra_dir) for p in parts[1:])):
            return place, credit
    # "नई दिल्ली, एजेंसी", "بغداد، رويترز", "ROMA, ANSA": a place, a comma, an agency (where letters have
    # case, the place in capitals: "Ed Andrieski, AP" is a photographer's credit)
    place, comma, credit = _FIRST_COMMA.split(s, 1) if "," in s or "،" in s else ("", "", "")
    place, credit = place.strip(), credit.strip()
    if (comma and credit and is_agency(credit, extra_dir) and _short_name(place, 3) and _name_shaped(place)
            and not place.islower() and (place.isupper() or not place[:1].isupper())
            and not is_agency(place, extra_dir)):
        return place, credit
    m = _PLACE_DATE.match(s) if _DIGIT.search(s) is not None else None
    if (m and (ARABIC_CHAR.match(s) or m.group("place").isupper()) and _WIRE_DATE.search(m.group("date"))
            and not any(h.start == 0 for h in find_dates(s))):      # (not a weekday: "الثلاثاء - 24-11-2026")
        return m.group("place"), None       # "أربيل- 24-11-2026", "ERBIL, 24.11.2026"
    m = _PLACE_COLON_NAME.match(s) if ":" in s else None
    if m and ARABIC_CHAR.match(s) and _short_name(m.group("who")) and not _PHOTO_CREDIT.match(s):
        return m.group("place"), m.group("who").strip("«»\"“”")      # "بغداد: «الشرق الأوسط»" too
    if is_agency(s, extra_dir):
        return None, s
    return None


_FIRST_COMMA = re.compile("([,،])")
# a place and the date in figures: "أربيل- 24-11-2026" (in Arabic script or capitals: elsewhere
# "Updated - 24.11.2026" is a label)
_PLACE_DATE = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD})?)\s*[-–—,،]\s*(?P<date>\d[\d\s./-]{{3,}}\d)$")
# "بغداد: علي الموسوي": one word of place, a colon, a name of two to four words (in Arabic script;
# elsewhere "Word: Name" is a label as often as a place)
_PLACE_COLON_NAME = re.compile(rf"^(?P<place>{_PLACE_WORD})\s*:\s*(?P<who>\S+(?: \S+){{1,3}})$")


def _rejoin(s: str, parts: list[str]) -> str:
    """The original text spanning parts[0] .. parts[-1] (keeps the page's own separators)."""
    i = s.find(parts[0])
    j = s.rfind(parts[-1])
    return s[i:j + len(parts[-1])].strip() if i >= 0 and j >= i else " / ".join(parts)


_GLUED_RE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})\s*/\s*"      # PLACE/
    r"(?P<credit>[^/\n]{2,40}?(?:\s*/\s*[^/\n]{2,40}?)?)\s*"               # credit [/ credit]
    r"(?:(?P<dash>[-–—])\s+|:\s*)(?P<rest>\S.*)$", re.S)                         # – (or, in Arabic, :) then the text
_GLUED_DASH_RE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})(?:,\s*[^-–—,\n]{{1,25}}?)?\s*[-–—]\s*"   # PLACE[, date] –
    r"(?P<credit>[^\W\d_][^-–—:\n]{1,40}?)\s*(?P<sep>[-–—:.])\s+(?P<rest>\S.*)$", re.S)   # AGENCY[-–—:.] text

_QUOTED_CREDIT_RE = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD})?)\s*[-–—]?\s*«(?P<ag>[^«»\d\n]{{2,30}})»"
                               r"\s*[-–—:]+\s*(?P<rest>\S.*)$", re.S)
_PAREN_CREDIT_RE = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD})?)\s*[(（](?P<ag>[^()\d\n]{{2,30}})[)）]"
                              r"\s*[-–—:]+\s+(?P<rest>\S.*)$", re.S)
# the place alone before a dash, in a script without case or in capitals: "الجزائر - استقبل …",
# "WASHINGTON — The …" (a capitalised "Update - …" is a word, not a place)
# (a dash that closes an aside soon after: "أكد الرئيس - خلال لقائه الوفد - أن …" opens with no place)
_PAIRED_DASH = re.compile(r"\s[-–—]\s")
_BARE_DASH_RE = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD})?)\s+[-–—]+\s+(?P<rest>\S.*)$", re.S)
_OUTLET_DOMAIN = re.compile(r"[^\W_][\w-]*\.(?:com|co\.id|net|org|id|ru|pl|gr|de|fr|es|it|نت|كوم)", re.I)   # "KOMPAS.com", "العربية.نت"
# the place in capitals, a comma, then its date or the outlet in capitals, a dash: "BEIJING, Nov. 24 --",
# "JAKARTA, KOMPAS.com - …" (no agency in brackets)
_CAPS_COMMA_DASH_RE = re.compile(rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}}),\s*(?P<mid>[^-–—,()\n]{{2,25}}?)"
                                 r"\s+[-–—]+\s+(?P<rest>\S.*)$", re.S)


_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*\.?")      # "Jane", "O'Neil", "J." (not "www.site.com]")


def byline_after_date(line: str, extra_dir: str | None = None) -> str | None:
    """The name a dated line credits: "Veröffentlicht am 24. November 2026 von Anna" -> "Anna",
    "Posted on November 24, 2026 by Jane Doe" -> "Jane Doe"; or the credit first, the date after
    the name: "By Louie Smith 17/01/2012" -> "Louie Smith"."""
    if len(line) > 120:
        return None
    tables = _credit_tables(extra_dir)
    m = tables.prefix.match(line)
    if m:
        who = (m.group("who") or m.group("who2") or "").strip()
        name = _name_before_date(who, extra_dir)
        return name if name is not None and _short_name(name, 6) else None
    words = line.split()
    credit_words = tables.credit_words
    # the credit word among the last five, a name of one to four words after it, a date before it
    for k in range(max(1, len(words) - 5), len(words) - 1):
        if words[k].casefold() in credit_words:
            who = " ".join(words[k + 1:])
            if (_short_name(who) and all(_NAME_WORD.fullmatch(w) for w in words[k + 1:])
                    and _DIGIT.search(" ".join(words[:k])) is not None):
                return who
            return None
    return None


_NAME_END = re.compile(r"(?<=[^\W\d_]{3})\.\s")
_WORD_RUN = re.compile(r"\S+")
_GLUED_HANDLE = re.compile(r"[^\W\d_][\w'’-]*@\w+")


def name_shaped_line(line: str, cased: bool = False) -> bool:
    """A line that can be a person's name alone: two to four capitalised words, no digits. `cased`:
    in a script with case only (where the shape is all the evidence: a caseless script's short
    subheading has it too)."""
    words = line.split()
    return (2 <= len(words) <= 4 and len(line) <= 40 and _DIGIT.search(line) is None
            and (all(w[0].isupper() for w in words) if cased else capitalised_words(line))
            and all(map(_NAME_WORD.fullmatch, words)))


def credited_name(key: str, extra_dir: str | None = None) -> str | None:
    """The name after a one-word credit opener that opens a casefolded line key ("by jane doe",
    "von jane doe", "كتب محمد السيد" -> the name), else None."""
    word, _, rest = key.partition(" ")
    if word.rstrip(":") not in _credit_tables(extra_dir).credit_words:
        return None
    return rest.strip() or None


def name_credited_in(name: str, text: str, extra_dir: str | None = None) -> bool:
    """A bare name line ("Florence Tan" under the headline) is the byline when the page credits the
    same name elsewhere with a credit word ("Reporting by Florence Tan; Editing by …")."""
    if not name_shaped_line(name):
        return False
    credit_words = _credit_tables(extra_dir).credit_words
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        before = text[max(0, at - 40):at].rstrip(" :").rsplit(None, 1)
        if (before and before[-1].casefold() in credit_words and text[at - 1:at].isspace()
                and not text[end:end + 1].isalnum()):
            return True
        at = text.find(name, end)
    return False


def _without_role(who: str, roles: frozenset[str]) -> str:
    """The name without the role a comma puts after it ("Rachel Green, Science Correspondent",
    "محمد السيد، مراسل الجريدة"): the role's last word or first word is in the byline_role table."""
    for comma in (",", "،"):
        if comma not in who:
            continue
        head, sep, tail = who.rpartition(comma)
        words = tail.casefold().split()
        # (a desk's compound counts by its last part: "ARD-Hauptstadtstudio")
        if sep and head.strip() and words and (words[-1].rpartition("-")[2] in roles or words[0] in roles):
            return head.strip()
    return who


def _name_before_date(who: str, extra_dir: str | None = None) -> str | None:
    """The name before the date a credit line goes on with ("Jane Doe - 11/18/19 11:04 PM EST",
    "Louis Jacobson on Monday, November 18th, 2019", "Jessica Laurence, Jan 17, 2012"); None
    when no date follows a name."""
    digit = _DIGIT.search(who)
    if digit is None:
        return None
    hits = find_dates(who)
    at = hits[0].start if hits else digit.start()
    # (up to a sentence's end: "Joanna Janczy. Data publikacji …"; not an initial's "J. R.")
    head = _NAME_END.split(who[:at], 1)[0]
    # a stamp's label between the name and its date: "Diane Buckstegge Veröffentlicht am 1. Mai 2019"
    rules = get_rules(None, extra_dir)
    for w in list(_WORD_RUN.finditer(head))[-3:]:
        if rules.match(who[w.start():]) == "published":
            head = head[:w.start()]
            break
    words = head.rstrip(" ,;/-–—|·•").split()
    while words and words[-1].startswith("@"):
        words.pop()             # the author's handle: "Ahiza Garcia @ahiza_garcia"
    if words and _GLUED_HANDLE.fullmatch(words[-1]):
        words[-1] = words[-1].split("@")[0]     # "Jon Porter@JonPorty": the handle glued to the name
    if words and len(words[-1]) <= 3 and words[-1].islower():
        words.pop()             # "on", "am", "le": the word that introduces the date
    if len(words) > 1 and not hits and is_month_name(words[-1]):
        words.pop()             # a date without a year is none: "Erin Cunningham March 18 at 3:57 PM"
    name = " ".join(words).rstrip(" ,;-–—|·•")
    return name if name and _DIGIT.search(name) is None else None


def names_outlet(credit: str, outlet: str | None) -> bool:
    """The credit is the outlet's name or a run of its whole words ("الغد" of "جريدة الغد")."""
    key = " ".join(credit.casefold().split())
    return bool(key and outlet) and any(key == folded for _, folded in _outlet_runs(outlet))


# what may stand before the outlet's name opening a paragraph (a place and a separator, or an opening
# bracket) and what must follow it (a closing bracket, a place in brackets, a separator and perhaps a
# place a separator closes, then the text): "شفق نيوز/ صوت …", "عمان - الغد - قررت …",
# "الرباط - هسبريس أعلنت …", "عكاظ (جدة) أعلنت …", "السومرية نيوز/ بغداد - أعلنت …"
_BEFORE_OUTLET = re.compile(rf"(?:(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}})\s*(?:[-–—/:،,]+\s*|(?=[(«\"“])))?"
                            r"(?P<open>[(«\"“])?")
_AFTER_OUTLET = re.compile(rf"(?P<close>[)»\"”])?(?:\s*[(（](?P<place_after>{_PLACE_WORD}(?: {_PLACE_WORD})?)[)）])?"
                           rf"(?P<sep>\s*[-–—/:]+\s*(?:(?P<place_next>{_PLACE_WORD}(?: {_PLACE_WORD})?)\s*[-–—:]+\s+)?|\s+)"
                           r"(?P<rest>\S.*)$", re.S)


def _outlet_credit(s: str, outlet: str) -> tuple[str | None, str, str] | None:
    """(place, credit, rest) when the outlet's name, or a run of its words, opens the paragraph as
    its credit; found with plain string search, so that no pattern is built for each site's name."""
    head = s[:100]
    low = head.casefold()
    same_length = len(low) == len(head)     # (a fold that changes lengths: positions must be the text's)
    if not same_length:
        low = head
    for run, folded in _outlet_runs(outlet):
        if len(run) < 2:
            continue
        key = folded if same_length else run
        k = low.find(key)
        while k >= 0:
            before = _BEFORE_OUTLET.fullmatch(s, 0, k)
            after = _AFTER_OUTLET.match(s, k + len(run)) if before else None
            got = _outlet_credit_parts(s, outlet, before, after, s[k:k + len(run)]) if after else None
            if got is not None:
                return got
            k = low.find(key, k + 1)
    return None


@lru_cache(maxsize=1024)
def _outlet_runs(outlet: str) -> tuple[tuple[str, str], ...]:
    """The runs of the outlet's whole words, longest first, each with its casefolded form."""
    words = outlet.split()
    runs = sorted({" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)},
                  key=len, reverse=True)
    return tuple((r, r.casefold()) for r in runs)


def _outlet_credit_parts(s: str, outlet: str, before: re.Match, after: re.Match,
                         credit: str) -> tuple[str | None, str, str] | None:
    """(place, credit, rest) for the outlet's name found at `credit` between `before` and `after`,
    or None when what stands around it makes it no credit."""
    if len(after.group("rest")) <= 20:
        return None
    if not after.group("sep").strip():
        # no separator before the text: only in Arabic script, where a credit runs into the text, and
        # only the whole name, set off by a place or brackets ("القاهرة - اليوم أعلنت" is no credit)
        if (ARABIC_CHAR.match(s) is None or credit.casefold() != outlet.casefold()
                or not (before.group("place") or before.group("open") or after.group("place_after"))):
            return None
    if (before.group("open") is None) != (after.group("close") is None):
        return None
    place_next, rest = after.group("place_next"), after.group("rest")
    if place_next and not (ARABIC_CHAR.match(place_next) or place_next.isupper()):
        place_next, rest = None, s[after.start("place_next"):]     # ("Gazeta: Rząd - …": a word, not a place)
    return before.group("place") or after.group("place_after") or place_next, credit, rest


# a Korean wire's credit: the place and the agency in brackets, the reporters, "=" ("(세종=연합뉴스)
# 김철수 기자 = …"), not a picture's "(사진=연합뉴스)"
_KO_WIRE = re.compile(r"^[(\[【]\s*(?!(?:사진|자료사진|그래픽|영상|출처|제공)\s*=)(?P<place>[가-힣A-Za-z]{1,12})\s*=\s*"
                      r"(?P<ag>[^()\[\]【】=\n]{1,20})[)\]】]\s*"
                      r"(?:(?P<who>[가-힣]{2,4}(?:\s*[·,]?\s*[가-힣]{2,4}){0,3})\s*(?:선임|객원|수습)?(?:기자|특파원|통신원)들?\s*=\s*)?"
                      r"(?P<rest>\S.*)", re.S)
# what a glued credit holds near the paragraph's start: a dash, a slash, a bracket, a guillemet,
# a colon, a Korean wire's "=", a date's digit, the wire's 电
_CREDIT_MARK = re.compile(r"[-–—/(（«:=电電\d]")


def split_dateline_byline(par: str, extra_dir: str | None = None,
                          outlet: str | None = None) -> tuple[str | None, str | None, str]:
    """(dateline, byline, rest) for a credit glued to the start of a paragraph; `outlet`, the page's
    site name when known, may be the credit whatever its shape.

    Returns (None, None, par) when the paragraph does not start with one."""
    s = par or ""
    if outlet:      # (the page's own outlet named: surer than any shape below)
        got = _outlet_credit(s, outlet)
        if got is not None:
            return got
    if _CREDIT_MARK.search(s, 0, 100) is None:
        return None, None, s        # (every form below has its mark near the start: most paragraphs none)
    tables = _credit_tables(extra_dir)
    # (each form is tried only when its mark is near the start: the agency alternations are costly)
    head = s[:60]
    bracket, dash = "(" in head or "（" in head, "-" in head or "–" in head or "—" in head
    # "PLACE (AGENCY) - text" / "(AGENCY) — text" / "الكويت - 23 - 11 (كونا) -- text"
    m = tables.paren.match(s) if bracket else None
    if m:
        rest = s[m.end():]
        rest2 = rest.lstrip(" -–—:")
        # (or the text glued to the bracket, its first letter a capital: "(CNN)The Senate …", what a
        # dump of "<span>(CNN)</span>The Senate" prints)
        glued = rest2 == rest and s[m.end() - 1] in ")）" and rest[:1].isupper()
        # (a script without case needs no separator: "القاهرة (أ ف ب) أعلنت …", "नई दिल्ली (भाषा) केंद्र …")
        caseless = rest2 == rest and rest[:1].isalpha() and not rest[:1].isupper() and not rest[:1].islower()
        if rest2 and (rest2 != rest or glued or caseless) and len(rest2) > 20:
            place = _place(m.group("place"))
            if place is None or len(place.split()) <= (3 if caseless else 4):
                return place, m.group("ag"), rest2
    # "新华社北京11月24日电（记者张三）…": agency, place, date, "电" (wire), the reporter
    m = tables.cjk_wire.match(s) if "电" in head or "電" in head else None
    if m and len(m.group("rest")) > 5:
        return m.group("place"), (m.group("who") or m.group("ag")).strip(), m.group("rest")
    # "(세종=연합뉴스) 김철수 기자 = 정부가 …": Korean wires put the place and the agency in brackets,
    # then the reporter and "=" before the text
    m = _KO_WIRE.match(s) if "=" in head else None
    if m and len(m.group("rest")) > 10:
        return m.group("place"), m.group("who") or m.group("ag").strip(), m.group("rest")
    m = tables.dotted_wire.match(s) if _DIGIT.search(head) is not None else None
    if m and len(m.group("rest")) > 20:
        return m.group("place"), m.group("ag") or m.group("ag2"), m.group("rest")
    # "بغداد «القدس العربي»: …" (a tatweel as dash, dropped by normalize_text): the outlet in quotes
    m = _QUOTED_CREDIT_RE.match(s) if "«" in head else None
    if m and len(m.group("rest")) > 20:
        return m.group("place"), m.group("ag").strip(), m.group("rest")
    # "القاهرة (الأهرام أونلاين) - …", "Washington (CNN) — …": any short name in the brackets
    m = _PAREN_CREDIT_RE.match(s) if bracket else None
    if (m and len(m.group("rest")) > 20 and _short_name(m.group("ag")) and _name_shaped(m.group("place"))
            and _name_shaped(m.group("ag"))):
        return m.group("place"), m.group("ag").strip(), m.group("rest")
    m = _wire_credit(tables.wire, s)
    if m and m.group("sep") and len(m.group("rest")) > 20:
        return m.group("place"), m.group("ag"), m.group("rest").strip()
    # "دمشق-سانا أعلنت …": in Arabic script the text may follow the agency without a separator
    m = tables.hyphen.match(s) if "-" in head else None
    if m and len(m.group("rest")) > 20 and (m.group("sep") or ARABIC_CHAR.match(m.group("place"))):
        return m.group("place"), m.group("ag"), m.group("rest").strip()
    m = _GLUED_RE.match(s) if "/" in head else None
    if m:
        credit = m.group("credit").strip()
        parts = [p.strip() for p in credit.split("/")]
        if (all(_short_name(p) for p in parts) and len(m.group("rest")) > 20
                and (m.group("dash") or ARABIC_CHAR.match(s))):     # ("Fazit/ Meinung: …" is no credit)
            return m.group("place").strip(), credit, m.group("rest").strip()
    m = _GLUED_DASH_RE.match(s) if dash else None
    if m:
        credit = m.group("credit").strip()
        # an agency, or any short name a colon closes ("بغداد – متابعة الجورنال: …")
        if (credit.casefold() in tables.agencies
                or m.group("sep") == ":" and _short_name(credit) and ARABIC_CHAR.match(s)) \
                and len(m.group("rest")) > 20:
            return m.group("place").strip(), credit, m.group("rest").strip()
    m = _BARE_DASH_RE.match(s) if dash else None
    if (m and len(m.group("rest")) > 20 and _PAIRED_DASH.search(m.group("rest")[:80]) is None
            and (ARABIC_CHAR.match(m.group("place")) or (
                m.group("place").isupper() and not m.group("rest").split(None, 1)[0].isupper()))):
        if m.group("place").casefold() in tables.agencies:
            return None, m.group("place"), m.group("rest")
        return m.group("place"), None, m.group("rest")
    m = _CAPS_COMMA_DASH_RE.match(s) if dash and "," in head else None
    if (m and len(m.group("rest")) > 20 and m.group("place").isupper()
            and not m.group("rest").split(None, 1)[0].isupper()):
        mid = m.group("mid").strip()
        if _DIGIT.search(mid) is not None and len(mid.split()) <= 3:      # "Nov. 24", "24/11"
            return m.group("place"), None, m.group("rest")
        if mid.casefold() in tables.agencies or _OUTLET_DOMAIN.fullmatch(mid):
            return m.group("place"), mid, m.group("rest")
        if _short_name(mid, 2) and mid.isupper():               # "LONDON, UK —": the place's country
            return m.group("place"), None, m.group("rest")
    return None, None, s
