"""A dumper's layout undone before the lines are classified: hard wraps and markdown
(tasks/text_layout.py), alone and through the text cleaner."""
from __future__ import annotations

import json
import textwrap

import pytest

from tasks.clean_text import clean_text
from tasks.normalize import normalize_text
from tasks.text_layout import (hard_wrap_width, input_lines, line_lengths, looks_indented, looks_like_markdown,
                               lynx_references_at, read_lynx, read_markdown, unwrap_lines)
from test_clean_text import (AR_PAGE, EN_BODY, EN_PAGE, GOLD, SAMPLE_IDS, SAMPLES, ZH_PAGE, hard_wrapped, reasons,
                             token_f1)

# --------------------------------------------------------------------------------------
# hard wraps


def test_unwrap_joins_broken_paragraphs_only():
    paragraph = ("The harbour authority said on Monday that the old bridge would stay closed to heavy "
                 "lorries until the well-known engineering firm had finished its survey of the piers, "
                 "which could take until the end of the summer.")
    menu = ["Home", "News", "Local", "Sport", "Weather"]
    text = "\n".join(["Bridge stays closed to lorries", *menu, "", hard_wrapped(paragraph, 40), "",
                      hard_wrapped(paragraph.replace("Monday", "Tuesday"), 40), "", "Contact us", "About us"])
    lines = normalize_text(text).split("\n")
    width = hard_wrap_width(lines, list(map(len, lines)))
    assert width == 40
    out = unwrap_lines(lines, list(map(len, lines)), width)
    assert len(out) == len(lines)                   # continuation lines left blank: numbers still point into the input
    kept = [line for line in out if line]
    assert kept == ["Bridge stays closed to lorries", *menu, paragraph, paragraph.replace("Monday", "Tuesday"),
                    "Contact us", "About us"]


def test_a_paragraph_per_line_is_not_unwrapped():
    """Dumps whose lines are whole paragraphs (the samples, the small pages of the cleaner's tests)
    are left as they are, also when their paragraphs are short and their menus many."""
    pages = [(SAMPLES / f"{sid}.txt").read_text(encoding="utf-8") for sid in SAMPLE_IDS]
    short_news = "\n".join(["Short news - Example", *(["Home", "World", "Business", "Sport"] * 5),
                            *[f"Item {k}: the council met on Monday and agreed on the budget for next year." for k in range(12)]])
    for text in [*pages, EN_PAGE, AR_PAGE, ZH_PAGE, short_news]:
        lines = normalize_text(text).split("\n")
        assert hard_wrap_width(lines, list(map(len, lines))) is None


def test_wrapped_lines_are_measured_as_the_wrapper_counted_them():
    """An indent (lynx) or a double space is gone after normalization, but it took the wrapper's room:
    the break is judged on the input's own line lengths."""
    text = "   Officials said the bridge would stay closed until the survey of its\n   piers was finished."
    lines = normalize_text(text).split("\n")
    assert line_lengths(lines, input_lines(text, lines)) == [70, 22]
    # at 74 columns "piers" fitted after the normalized line (67 + 1 + 5), not after the input's
    assert unwrap_lines(lines, line_lengths(lines, input_lines(text, lines)), 74)[0].endswith("of its piers was finished.")
    assert unwrap_lines(lines, list(map(len, lines)), 74) == lines


# --------------------------------------------------------------------------------------
# markdown (what html2text writes for a news page)

MD_BODY = [
    "The defence ministry said on Wednesday that a military delegation had arrived in Baghdad for talks "
    "on border security, [according to state media](https://example.com/state-media).",
    "Officials from both countries agreed to set up a **joint operations centre** to share intelligence "
    "about the militants, the ministry said.",
    "The chief of staff told reporters that the meeting was the _first of its kind_ since the start of the "
    "war in 2011\\. Analysts said the move could change the balance of power along the border.",
]
PLAIN_BODY = [
    "The defence ministry said on Wednesday that a military delegation had arrived in Baghdad for talks "
    "on border security, according to state media.",
    "Officials from both countries agreed to set up a joint operations centre to share intelligence "
    "about the militants, the ministry said.",
    "The chief of staff told reporters that the meeting was the first of its kind since the start of the "
    "war in 2011. Analysts said the move could change the balance of power along the border.",
]
MD_PAGE = "\n".join([
    "[Skip to content](#main)", "",
    "  * [Home](https://example.com/)", "  * [World](https://example.com/world)",
    "  * [Politics](https://example.com/politics)", "  * [Business](https://example.com/business)",
    "  * [Sport](https://example.com/sport)", "",
    "[![Example News](https://example.com/logo.png)](https://example.com/)", "",
    "# Iraq and Syria agree on joint operations centre", "",
    "By [Jane Doe](https://example.com/authors/jane-doe)", "",
    *[p for par in MD_BODY for p in (par, "")],
    "* * *", "",
    "## Related articles", "",
    "  * [Iran warns US carrier not to return to the Gulf](https://example.com/world/iran-carrier)",
    "  * [Oil prices rise after talks collapse in Vienna](https://example.com/business/oil-vienna)", "",
    "[Privacy policy](https://example.com/privacy) | [Terms](https://example.com/terms)", "",
    "© 2019 Example News Ltd. All rights reserved.",
])


def test_markdown_lines_read_as_the_page_shows_them():
    lines = normalize_text(MD_PAGE).split("\n")
    assert looks_like_markdown(normalize_text(MD_PAGE)) and not looks_like_markdown(EN_PAGE)
    out, headline = read_markdown(lines, line_lengths(lines, input_lines(MD_PAGE, lines)))
    assert out[headline] == "Iraq and Syria agree on joint operations centre"
    assert len(out) == len(lines)
    assert out[2:7] == ["Home", "World", "Politics", "Business", "Sport"]
    assert out[8] == ""                               # a linked logo image shows nothing
    assert "Iraq and Syria agree on joint operations centre" in out
    assert "By Jane Doe" in out and "Related articles" in out and "Privacy policy | Terms" in out
    assert [line for line in out if line in PLAIN_BODY] == PLAIN_BODY
    assert "* * *" not in out


@pytest.mark.parametrize("width", [0, 78])
def test_markdown_page_cleaned_like_its_plain_dump(width):
    """html2text's markdown of a page, as written (wrapped at 78 columns, its default) or with
    wrapping off: the same article and reasons as the plain dump's."""
    page = hard_wrapped(MD_PAGE, width) if width else MD_PAGE
    c = clean_text(page)
    assert c.paragraphs == PLAIN_BODY
    assert c.title == "Iraq and Syria agree on joint operations centre"
    assert c.byline == "Jane Doe"
    r = reasons(c)
    assert r["Politics"] == "navigation"
    assert r["Related articles"] == "related_links"
    assert r["Iran warns US carrier not to return to the Gulf"] == "related_links"
    assert r["© 2019 Example News Ltd. All rights reserved."] == "copyright"


def test_a_link_title_running_over_lines_is_no_text_of_the_page():
    """html2text keeps a link's title attribute (a tooltip, here each teaser's summary) with its
    line breaks: the lines it runs over are blank, the link shows its text; the summaries' prose
    does not carry the article's block into the box of teasers."""
    teasers = [
        "## Most read", "",
        '  * [Oil prices rise after talks collapse](https://example.com/business/oil "Oil prices rose sharply '
        'on Thursday after the talks in Vienna collapsed without an agreement on output.', "",
        'Traders said the market now expected further cuts by the producers next month.")',
        '  * [Ministers meet in Brussels over the budget](https://example.com/world/brussels "The ministers of '
        'the member states met in Brussels on Friday to discuss the budget for the coming year.', "",
        'No decision was taken, and the talks are to resume next week.")', "",
    ]
    page = MD_PAGE.replace("* * *\n", "* * *\n\n" + "\n".join(teasers) + "\n", 1)
    lines = normalize_text(page).split("\n")
    out, _ = read_markdown(lines, line_lengths(lines, input_lines(page, lines)))
    assert len(out) == len(lines)
    assert "Oil prices rise after talks collapse" in out and "Ministers meet in Brussels over the budget" in out
    assert not any("Traders said" in line or "Vienna collapsed" in line for line in out)
    c = clean_text(page)
    assert c.paragraphs == PLAIN_BODY
    assert reasons(c)["Oil prices rise after talks collapse"] != "title"
    # a quote mark that no '")' closes on the next line holding one is left as it is
    lines = ['[Report](https://example.com/r "A title', 'that "goes" on', 'and on")']
    assert read_markdown(lines, [len(s) for s in lines])[0][1:] == ['that "goes" on', 'and on")']


def test_markdown_headline_is_the_title():
    """A markdown dump has no <title> line: its first line is whatever the page starts with (here a
    tagline). Its "# " heading is the headline: the title, and the line the article starts under."""
    page = "\n".join(["Independent reporting from the harbour city since 1887", "", MD_PAGE])
    c = clean_text(page)
    assert c.title == "Iraq and Syria agree on joint operations centre"
    assert c.paragraphs == PLAIN_BODY
    assert reasons(c)["Iraq and Syria agree on joint operations centre"] == "title"


def test_markdown_of_a_sample_page():
    """Sample 000 with html2text's marks on it (its menu lines linked list items, its title a heading,
    its paragraphs with a link inside): the sample's own gold."""
    gold = json.loads((GOLD / "000_19d87d3905131dad.json").read_text(encoding="utf-8"))
    out = []
    for no, line in enumerate((SAMPLES / "000_19d87d3905131dad.txt").read_text(encoding="utf-8").split("\n"), 1):
        label = gold["line_labels"].get(str(no))
        if label in ("section_nav", "masthead") and line.strip():
            out.append(f"  * [{line.strip()}](https://example.com/section/{no})")
        elif label == "title":
            out.append("# " + line.strip())
        elif label == "body":
            words = line.split()
            out.append(" ".join([f"[{words[0]}](https://example.com/tag/{no})", *words[1:]]))
        else:
            out.append(line)
    c = clean_text("\n".join(out))
    assert token_f1("\n".join(c.paragraphs), "\n".join(gold["body_paragraphs"])) >= 0.98
    assert c.title == gold["title"]


# --------------------------------------------------------------------------------------
# lynx -dump (link numbers, bullets, a References list, text wrapped and indented)


def lynx_dump(menu: list[str], heading: str, body: list[str], related: list[str], numbered: bool = True) -> str:
    """A page as `lynx -dump` writes it: text indented 3 columns and wrapped at 77, list items under
    "*" at column 5, each link numbered where it stands and listed under "References"."""
    urls = []

    def link(text: str) -> str:
        urls.append(f"https://example.com/{len(urls) + 1}")
        return f"[{len(urls)}]{text}" if numbered else text

    def para(text: str) -> list[str]:
        return textwrap.wrap(text, 77, initial_indent="   ", subsequent_indent="   ") + [""]

    out = [f"     * {link(item)}" for item in menu] + [""]
    out += [heading, ""]
    for k, p in enumerate(body):
        words = p.split()
        out += para(" ".join([words[0], link(words[1]), *words[2:]]) if k == 1 else p)
    out += para("Related stories")
    out += [f"     * {link(item)}" for item in related] + [""]
    if numbered:
        out += ["References", "", "   Visible links:"] + [f"   {k}. {u}" for k, u in enumerate(urls, 1)]
    return "\n".join(out)


@pytest.mark.parametrize("numbered", [True, False])
def test_lynx_dump_cleaned_like_its_plain_dump(numbered):
    menu = ["Home", "World", "Politics", "Business", "Sport"]
    related = ["Iran warns US carrier not to return to the Gulf", "Oil prices rise after talks collapse in Vienna"]
    body = PLAIN_BODY + EN_BODY
    page = lynx_dump(menu, "Iraq and Syria agree on joint operations centre", body, related, numbered)
    lines = normalize_text(page).split("\n")
    assert (lynx_references_at(lines) is not None) == numbered
    c = clean_text(page)
    assert c.paragraphs == body
    assert c.title == "Iraq and Syria agree on joint operations centre"
    r = reasons(c)
    assert r["Politics"] == "navigation"            # (-nolist: an indented dump, its bullets off too)
    assert r["Iran warns US carrier not to return to the Gulf"] == "related_links"
    if numbered:
        assert all(r[f"{k}. https://example.com/{k}"] for k in range(1, 4))      # the References list: removed, with a reason


def test_lynx_bullets_and_numbers_come_off_only_in_a_lynx_dump():
    """'[2]' is a citation mark and 'o ' a word ("o czym") in a dump without lynx's References:
    left as they are there."""
    text = "\n".join(["   Intro line of the page.", "     o czym mowa[2]", "", "References", "", "   Visible links:",
                      "   1. https://example.com/a", "   2. https://example.com/b"])
    lines = normalize_text(text).split("\n")
    refs_at = lynx_references_at(lines)
    assert refs_at == 3
    assert read_lynx(lines, text.split("\n"), refs_at)[0][1] == "czym mowa"
    plain = "\n".join(["Intro line of the page.", "o czym mowa[2]"])
    assert lynx_references_at(normalize_text(plain).split("\n")) is None


def test_lynx_chinese_paragraphs_are_joined_but_a_plain_dumps_full_lines_are_not():
    """lynx wraps Chinese text where the line is full. In a lynx dump (its References list says
    so) full CJK lines are joined without a space; in any other dump a run of CJK lines of one
    length is not a wrap by itself (a list of headlines cut to that length): the text cleaner
    also needs a paragraph's last line under one (tests/test_clean_text.py)."""
    paragraph = ("据新华社报道，引起全国关注的天价过路费案十五日在河南省鲁山县人民法院重审，庭审持续了六个多小时。"
                 "庭审结束后法官当庭宣判，被告人犯诈骗罪，判处有期徒刑两年六个月，并处罚金人民币两万元。"
                 "被告人当庭表示服从判决，不再上诉，旁听的群众和媒体记者对判决结果表示认可。")
    wrapped = [paragraph[k:k + 36] for k in range(0, len(paragraph), 36)]
    body = [line for _ in range(3) for line in ["   " + s for s in wrapped] + [""]]
    lynx = "\n".join(["     * [1]首页", "     * [2]新闻", "", *body, "References", "", "   Visible links:",
                      "   1. https://example.com/a", "   2. https://example.com/b"])
    lines = normalize_text(lynx).split("\n")
    out, _ = read_lynx(lines, lynx.split("\n"), lynx_references_at(lines))
    kept = [s for s in out if s and not s.startswith(("1.", "2.", "Visible", "References"))]
    assert kept == ["首页", "新闻", *[normalize_text(paragraph)] * 3]
    plain = "\n".join(["   " + s for s in wrapped * 3])
    lines = normalize_text(plain).split("\n")
    assert hard_wrap_width(lines, line_lengths(lines, input_lines(plain, lines))) is None


def test_lynx_headline_is_the_title():
    """lynx prints headings unindented and text three columns in: in a lynx dump the first heading
    is the headline (the dump has no <title> line; its first line here is a tagline)."""
    page = "\n".join(["   Independent reporting from the harbour city since 1887", "",
                      lynx_dump(["Home", "World", "Politics"], "Iraq and Syria agree on joint operations centre",
                                PLAIN_BODY + EN_BODY, ["Oil prices rise after talks collapse in Vienna"])])
    c = clean_text(page)
    assert c.title == "Iraq and Syria agree on joint operations centre"
    assert c.paragraphs == PLAIN_BODY + EN_BODY


def test_lynx_buttons_do_not_make_it_markdown():
    """lynx writes a form button as "[4](BUTTON)", which has markdown's "](": a dump with lynx's
    References list is read as lynx all the same."""
    buttons = "\n".join(f"   [{90 + k}](BUTTON) Log In" for k in range(4))
    page = "\n".join([buttons, lynx_dump(["Home", "World", "Politics"], "Iraq and Syria agree on joint operations centre",
                                         PLAIN_BODY + EN_BODY, ["Oil prices rise after talks collapse in Vienna"])])
    assert looks_like_markdown(normalize_text(page))
    c = clean_text(page)
    assert c.title == "Iraq and Syria agree on joint operations centre"
    assert c.paragraphs == PLAIN_BODY + EN_BODY
    assert all("[" not in r.text for r in c.removed if r.text.endswith("Log In"))


def test_an_indented_dump_without_references_is_read_like_lynx():
    """lynx -nolist, w3m and links indent text three columns, headings not, and put list items
    under bullets, without a References list: the same reading, but a "[2]" stays (it is text
    there, a citation mark), and a plain dump is not taken for one."""
    page = lynx_dump(["Home", "World", "Politics"], "Iraq and Syria agree on joint operations centre",
                     PLAIN_BODY + EN_BODY, ["Oil prices rise after talks collapse in Vienna"], numbered=False)
    page = page.replace("according to state media.", "according to state media.[2]")
    assert looks_indented(page) and not looks_indented(EN_PAGE) and not looks_indented(MD_PAGE)
    c = clean_text("   Independent reporting from the harbour city since 1887\n\n" + page)
    assert c.title == "Iraq and Syria agree on joint operations centre"
    assert c.paragraphs[0].endswith("according to state media.[2]")
    assert reasons(c)["Politics"] == "navigation"


def test_long_lines_of_markdown_marks_do_not_backtrack():
    """A long markdown line of marks that never close (a table of "**", a run of "_") or of dashes
    that are no rule row is read in time linear in its length: an emphasis spans a few words, not
    the rest of the line, and a rule row is told by its characters, not by a pattern."""
    import time
    for line in ["**x _y [z](w " * 2000, "**a" * 7000, "_a " * 7000, "![a](" * 4000, "-" * 20000 + "x",
                 "| - " * 5000 + "x", "* " * 10000 + "x", "> " * 8000 + "x"]:
        t = time.perf_counter()
        read_markdown([line], [len(line)])
        assert time.perf_counter() - t < 0.2, line[:20]
