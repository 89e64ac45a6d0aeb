"""How a dumper laid a page's text out, undone before its lines are classified.

Text dumps of the same page differ by the tool that made them. Three layouts break a line
classifier that reads one paragraph per line:

- **hard wraps**: `lynx -dump`, `w3m -dump` and html2text (by default) break every paragraph
  into lines of at most ~80 characters, which then read as a menu of short lines;
- **markdown**: html2text, markdownify and crawlers' markdown output write links as
  `[text](url)`, images as `![alt](url)`, headings, list items and quotes with `#`, `*`, `>`
  marks, emphasis with `*` / `_`: URLs make a menu item a long line and the marks change its key;
- **link lists**: `lynx -dump` numbers every link in the text ("[12]Home") and lists their
  URLs under "References" at the end, and puts its list items under `*`, `+`, `o`, `#` bullets.

The functions here join the wrapped paragraphs again and take the markdown and lynx's marks
off (the text cleaner calls them when `TextCleanConfig.read_layout`), keeping one output line
per input line (a joined line's continuations become blank), so that the line numbers of
removed lines still point into the input.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import compress

from tasks.normalize import CJK_FIRST, CLOSER_CHARS, TERMINAL_CHARS

__all__ = ["hard_wrap_width", "cjk_paragraphs_wrapped", "unwrap_lines", "looks_like_markdown", "read_markdown",
           "lynx_references_at", "looks_indented", "read_lynx", "input_lines", "line_lengths"]

_WRAP_END = frozenset(TERMINAL_CHARS)


def input_lines(text: str, lines: list[str]) -> list[str] | None:
    """The input's own lines when they are the normalized `lines` one for one (their indentation
    and their lengths as a wrapper counted them), else None."""
    raw = text.split("\n")
    return raw if len(raw) == len(lines) else None


def line_lengths(lines: list[str], raw: list[str] | None) -> list[int]:
    """The lines' lengths as a wrapper counted them: the input's own (`raw`, from input_lines: an
    indent or a double space normalization took off still took room), else the normalized ones'."""
    return [len(s.rstrip()) for s in raw] if raw is not None else list(map(len, lines))


# ---------------------------------------------------------------------------------
# hard wraps


def _wrap_break(length: int, next_line: str, width: int, cjk: bool = False) -> bool:
    """A line of `length` characters ends where a greedy wrap at `width` would end it: the next
    line's first word did not fit after it. Chinese and Japanese have no spaces to break at: a
    wrapped line is only a full one (a character or two short of the width when a wide character
    or a closing mark did not fit), which a list of headlines cut to one length also is; so a CJK
    line counts only with `cjk`: in a dump known to be wrapped (lynx's), or on a CJK page whose
    full lines `cjk_paragraphs_wrapped` finds closed by a paragraph's last line."""
    word = next_line.split(" ", 1)[0]
    if max(word) >= CJK_FIRST:
        return cjk and width - 2 <= length <= width
    return length + 1 + len(word) > width >= length


def _cut_short(line: str, cjk: bool) -> bool:
    """In CJK text, a line that ends in an ellipsis is a headline cut to the list's length
    ("…用餐與我..."), not a paragraph's text (Chinese prose's own ellipsis is "……")."""
    return cjk and (line.endswith("..") or line.endswith("…") and not line.endswith("……"))


def _glued(end: str, start: str) -> bool:
    """A line ending in `end` and the next starting with `start` join without a space: a word
    broken after its hyphen, or CJK text (a CJK character, or punctuation, on both sides)."""
    last = end[-1]
    if last == "-":
        return end[:1].isalpha()
    return (last >= CJK_FIRST or start >= CJK_FIRST) and (last >= CJK_FIRST or not last.isalnum()) and (
        start >= CJK_FIRST or not start.isalnum())


def hard_wrap_width(lines: list[str], lengths: list[int], near_chars: int = 20, min_breaks: int = 5,
                    cjk: bool = False) -> int | None:
    """The column a dump was hard-wrapped at, or None for a dump with a paragraph on each line.
    `lines` are the normalized lines, `lengths` the lengths to judge them by (0: leave a line out,
    as a markdown line with a URL, which a wrapper lets overhang).

    Wrapped, the longest lines (bar a few: a long URL or word may overhang) pile up under the
    width, and many lines end where the next word would not have fitted, some of them mid-sentence (no
    terminal punctuation, the next line starting in lower case or in a script without case). A
    dump with a paragraph on each line has lines far longer than any width, or too few such breaks."""
    ranked = sorted(lengths)
    n = len(ranked) - ranked.count(0)
    if n < 10:
        return None
    # the width: where the longest lines pile up (a wrapper fills its lines up to it), with at
    # most a few lines past it (a long URL or word overhangs)
    band = near_chars // 2
    width = max(set(ranked[-(max(2, n * 3 // 100) + 1):]),
                key=lambda w: (bisect_right(ranked, w) - bisect_left(ranked, w - band), w))
    if not 30 <= width <= 200:
        return None
    breaks = mid_sentence = 0
    for i in compress(range(len(lines) - 1), map((width - near_chars).__le__, lengths)):
        line, next_line = lines[i], lines[i + 1]
        if next_line and line and _wrap_break(lengths[i], next_line, width, cjk) and not _cut_short(line, cjk):
            breaks += 1
            first = next_line[0]
            mid_sentence += line[-1] not in _WRAP_END and (first.islower() or first.isdigit()
                                                            or (first.isalpha() and not first.isupper()))
    return width if breaks >= min_breaks and mid_sentence >= max(3, breaks // 5) else None


def cjk_paragraphs_wrapped(lines: list[str], lengths: list[int], width: int) -> bool:
    """Full CJK lines (width - 2 to width long) are a wrapped paragraph's, not headlines cut to one
    length: under one of them (not ending a sentence) comes the paragraph's last line, shorter and
    ending in a sentence's punctuation ("…表示认可。")."""
    for k in range(1, len(lines)):
        line, above = lines[k], lines[k - 1]
        if (line and above and lengths[k] < width - 2 <= lengths[k - 1] <= width and above[-1] not in _WRAP_END
                and line.rstrip(CLOSER_CHARS)[-1:] in _WRAP_END and max(above) >= CJK_FIRST and max(line) >= CJK_FIRST):
            return True
    return False


def unwrap_lines(lines: list[str], lengths: list[int], width: int, starts: list[bool] | None = None,
                 cjk: bool = False) -> list[str]:
    """The lines of a dump wrapped at `width` with every broken paragraph joined again on its first
    line; the lines joined to it become blank. `starts[i]`: line i opens a block of its own (a list
    item, a heading), never a continuation. (A word broken after its hyphen, and CJK text, join
    without a space.)"""
    out = list(lines)
    head = 0 if lines and lines[0] else None        # the line being joined to
    for i in range(1, len(lines)):
        line = lines[i]
        if (line and lines[i - 1] and head is not None and not (starts and starts[i])
                and _wrap_break(lengths[i - 1], line, width, cjk) and not _cut_short(lines[i - 1], cjk)):
            joined = out[head]
            out[head] = joined + line if _glued(joined[-2:], line[0]) else joined + " " + line
            out[i] = ""
        else:
            head = i if line else None
    return out


# ---------------------------------------------------------------------------------
# markdown

_LINK_MARK = "]("
_MIN_LINKS = 3                   # a dump with this many "[text](url)" is markdown

# block marks at a line's start: quotes, then a list item's bullet or number, or a heading
_BLOCK_MARKS = re.compile(r"((?:>\s?)+)?((?:[*+-]\s+)+|\d{1,3}\.\s+|#{1,6}\s+)?")
_RULE_CHARS = frozenset("*_-| :")    # a thematic break "* * *", "---", or a table's "---|:---" row
# a link's target: no spaces, brackets only in balanced pairs ("/wiki/Foo_(bar)")
_URL = r"(?:[^()\s]|\([^()\s]*\))*"
_IMAGE = re.compile(r"!\[([^\]]*)\]\(" + _URL + r"(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[([^\]]*)\]\(" + _URL + r"(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]*)>")
# a link whose title (the HTML title attribute, a tooltip) runs on past the line's end: html2text
# keeps the attribute's line breaks and wraps it as text ("[Headline](/url \"The teaser's first
# sentences…" / "…its last.\")"); it is no text of the page
_OPEN_TITLE = re.compile(r"\]\(" + _URL + r"(\s+\"[^\"]*)$")
_TITLE_END = re.compile(r"^[^\"]*\"\)")
_TITLE_MAX_LINES = 30
# (an emphasis spans a few words: bounded, so that a line of unclosed marks is not searched to its
# end from every mark, which took 0.6 s on a 26,000-character line)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*_])([^*_]{1,300}?)(?<=[^\s\\])\1(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")


def _rule_line(line: str) -> bool:
    """A thematic break ("* * *", "---") or a table's rule row ("---|:---"): three marks or more,
    nothing else. (A set, not a pattern: "[|:\\s-]*-{3,}…$" backtracked for minutes on a line of
    20,000 dashes and an "x".)"""
    if not line or set(line) - _RULE_CHARS:
        return False
    marks = line.replace(" ", "")
    return "---" in marks or "***" in marks or "___" in marks


def looks_like_markdown(text: str) -> bool:
    """Markdown links, `[text](url)`, several of them (a plain dump has hardly one)."""
    return text.count(_LINK_MARK) >= _MIN_LINKS


def _inline(line: str) -> str:
    """A markdown line as the page shows it: images dropped, links and autolinks to their text,
    emphasis and backslash escapes taken off."""
    if _LINK_MARK in line:
        line = _IMAGE.sub("", line)
        line = _LINK.sub(r"\1", _LINK.sub(r"\1", line))      # twice: a link around an image or a link
    if "<" in line:
        line = _AUTOLINK.sub(r"\1", line)
    if "*" in line or "_" in line:
        line = _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", line))
    if "\\" in line:
        line = _ESCAPE.sub(r"\1", line)
    return " ".join(line.split())


def read_markdown(lines: list[str], lengths: list[int], near_chars: int = 20,
                  min_breaks: int = 5) -> tuple[list[str], int | None]:
    """A markdown dump's lines as plain lines: block marks off, paragraphs a wrapper broke (links
    included) joined again, then links, images and emphasis to what the page shows. One output
    line per input line; a thematic break or a table's rule row becomes blank. Also the line of
    the first level-1 heading ("# …"), the page's headline, or None."""
    body, starts, h1 = [], [], None
    lines = _link_titles_closed(lines)
    for i, line in enumerate(lines):
        if _rule_line(line):
            body.append("")
            starts.append(False)
            continue
        m = _BLOCK_MARKS.match(line)
        body.append(line[m.end():].strip())
        starts.append(m.group(2) is not None)
        if h1 is None and m.group(2) == "# " and m.group(1) is None:
            h1 = i
    # a line with a URL overhangs the width: the width is judged on the others
    has_url = [_LINK_MARK in s or "://" in s for s in body]
    width = hard_wrap_width(body, [0 if u else n for u, n in zip(has_url, lengths)], near_chars, min_breaks)
    if width is not None:
        # ... and the line after one continues the paragraph the wrapper broke after the URL
        body = unwrap_lines(body, [min(n, width) if u else n for u, n in zip(has_url, lengths)], width, starts)
    return [_inline(s) if s else s for s in body], h1


def _link_titles_closed(lines: list[str]) -> list[str]:
    """The lines with each link title that runs on over the next lines cut off: the link closed
    on its first line, the title's other lines blank (what follows its closing '")' stays)."""
    out = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _OPEN_TITLE.search(line) if '"' in line and _LINK_MARK in line else None
        if m is None:
            i += 1
            continue
        # (the next line with a quote mark must close it, within reach: else no title, lines kept)
        end = next((j for j in range(i + 1, min(i + 1 + _TITLE_MAX_LINES, len(lines))) if '"' in lines[j]), None)
        close = _TITLE_END.match(lines[end]) if end is not None else None
        if close is None:
            i += 1
            continue
        if out is None:
            out = list(lines)
        out[i] = line[:m.start(1)] + ")"
        out[i + 1:end] = [""] * (end - i - 1)
        out[end] = lines[end][close.end():]
        i = end
    return lines if out is None else out


# ---------------------------------------------------------------------------------
# lynx -dump

_LYNX_MARK = re.compile(r"\[\d{1,4}\]")
_LYNX_LIST_HEADS = ("Visible links:", "Hidden links:")
_LYNX_FIRST_URL = re.compile(r"1\. [a-z][a-z0-9+.-]*:\S")
_LYNX_BULLET = re.compile(r"[*+o#] ")
_LYNX_BULLET_INDENT = 5          # lynx indents text 3 columns, a first-level item's bullet 5


def lynx_references_at(lines: list[str]) -> int | None:
    """The line of a lynx dump's "References" heading (its numbered list of the links' URLs
    follows), or None."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i] == "References":
            after = [s for s in lines[i + 1:i + 6] if s][:2]
            if after and (after[0] in _LYNX_LIST_HEADS or _LYNX_FIRST_URL.match(after[0])):
                return i
            return None
    return None


def looks_indented(text: str) -> bool:
    """A terminal browser's dump (lynx -nolist, w3m, links): half its lines or more (blank ones
    included) indented three columns or more; a plain dump's lines start at the margin."""
    return (text[:3] == "   " or "\n   " in text[:300]) and text.count("\n   ") * 2 >= text.count("\n")


def read_lynx(lines: list[str], raw_lines: list[str] | None, refs_at: int, near_chars: int = 20,
              min_breaks: int = 5, numbered: bool = True) -> tuple[list[str], int | None]:
    """A lynx dump's text before its References as the page shows it: the link numbers ("[12]")
    and the list items' bullets off, the paragraphs lynx wrapped joined again. `raw_lines`: the
    input's lines when they are the normalized ones (their indentation tells a bullet from a
    word, and a heading from text), else None. One output line per input line. Also the line of
    the first heading of 8 characters or more (lynx prints headings unindented, text 3 columns
    in), the page's headline as far as the dump tells, or None. `numbered=False`: a dump without
    link numbers (lynx -nolist, another terminal browser), whose "[2]" is text: left as it is."""
    lengths = line_lengths(lines, raw_lines)
    body, starts = list(lines), [False] * len(lines)
    for i in range(refs_at):
        line = body[i]
        if numbered and "[" in line:
            line = " ".join(_LYNX_MARK.sub("", line).split())
        if (_LYNX_BULLET.match(line) and raw_lines
                and len(raw_lines[i]) - len(raw_lines[i].lstrip()) >= _LYNX_BULLET_INDENT):
            line = line[2:]
            starts[i] = True
        body[i] = line
    width = hard_wrap_width(body[:refs_at], lengths[:refs_at], near_chars, min_breaks, cjk=True)
    if width is not None:
        body[:refs_at] = unwrap_lines(body[:refs_at], lengths[:refs_at], width, starts[:refs_at], cjk=True)
    heading = None if raw_lines is None else next(
        (i for i in range(refs_at) if raw_lines[i][:1].strip() and len(body[i]) >= 8), None)
    return body, heading
