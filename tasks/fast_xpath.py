"""trafilatura's pruning and article-finding XPaths, evaluated in Python with the same result.

trafilatura prunes each page with a few long XPath expressions (`.//*[self::div or …][re:test(@id,
'…') or contains(@class, '…') or …]`), and looks for the article's element with more of them
(BODY_XPATH). libxml2 evaluates every clause on every element, and each `re:test` is a call from C
back into Python (lxml implements the EXSLT regular expressions with `re`): on the devset's pages
the pruning expressions took ~28 % of trafilatura's own time, the article's ~12 %. The same
predicates as one Python function per expression, over lxml's element iteration, return the same
elements in the same order in a fifth to a third of the time (`(…)[1]` stops at the first).

`compile_xpath(source)` translates the subset of XPath 1.0 those expressions use:
- a path `.//*` followed by predicates (`[…][…]`); of the positional predicates only `[1]`, last
  (`.//*[…][1]`: the first such child of each parent) or around the path (`(.//*[…])[1]`: the first
  such element of the page);
- in a predicate: `or`, `and`, `not(…)`, parentheses; `self::name`; `@a` (exists); `@a = 'x'`;
  `.//name` (a descendant exists); `contains(s, 'x')`, `starts-with(s, 'x')`,
  `re:test(s, 'regex'[, 'flags'])` (`re:` read as EXSLT's regular expressions, the namespace
  trafilatura declares for it; as lxml implements them: Python's `re.search`, flag `i`);
- strings `s`: `@a`, a union `@a|@b`, `translate(s, 'ABC', 'abc')`.
XPath semantics kept where they are easy to miss: a missing attribute is the empty string; the
string of a union `@a|@b` is that of its first attribute in document order, which is the order in
which the element's attributes are written (`re:test(@id|@class, …)` tests whichever comes first);
`.//*` does not include the context element, only elements (no comments, no processing
instructions), in document order.

Anything else returns None and the expression stays an XPath. `install()` swaps, in place, the
expressions of trafilatura's pruning lists and article candidates that compile (pinned trafilatura; a newer one's
expressions are compiled from their own text, or left alone). Only the extraction child calls it
(tasks.clean_html), as it does `_plain_element_lookup`: it changes trafilatura for the whole process.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

REGEXP_NS = "http://exslt.org/regular-expressions"   # what `re:` names in trafilatura's expressions (and here)
# trafilatura.xpaths' lists whose expressions trafilatura only calls on a tree: the pruning lists
# (prune_unwanted_nodes) and the article's candidates (BODY_XPATH, the first hit of each wanted)
SWAPPED_LISTS = ("OVERALL_DISCARD_XPATH", "TEASER_DISCARD_XPATH", "PRECISION_DISCARD_XPATH",
                 "DISCARD_IMAGE_ELEMENTS", "REMOVE_COMMENTS_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH",
                 "RAW_TREE_PRUNE_XPATH", "COMMENTS_DISCARD_XPATH", "BODY_XPATH")

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'[^']*'|"[^"]*")
  | (?P<descendants>\.//(?:\*|[A-Za-z_][\w.-]*))
  | (?P<axis>self::[A-Za-z_][\w.-]*)
  | (?P<attribute>@[A-Za-z_][\w.:-]*)
  | (?P<name>re:test|[A-Za-z_][\w-]*)
  | (?P<number>[0-9]+)
  | (?P<punct>[\[\](),|=])
)""", re.X)


class Unsupported(ValueError):
    """The expression uses XPath outside the subset."""


def _tokens(source: str) -> list[tuple[str, str]]:
    out, pos, end = [], 0, len(source.rstrip())
    while pos < end:
        m = _TOKEN.match(source, pos)
        if m is None or m.end() == pos:
            raise Unsupported(f"cannot read {source[pos:pos + 20]!r}")
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass
class _Compiler:
    """Recursive descent over the tokens, emitting one Python expression per predicate."""
    tokens: list
    pos: int = 0

    def __post_init__(self) -> None:
        self.constants: dict[str, object] = {}
        self.attributes_read: dict[str, str] = {}     # attribute name -> its local variable

    def attribute(self, name: str) -> str:
        """The local variable holding the attribute's value (None when missing), read once an element."""
        if name not in self.attributes_read:
            self.attributes_read[name] = f"a{len(self.attributes_read)}"
        return self.attributes_read[name]

    # -- token helpers
    def peek(self, value: str | None = None, kind: str | None = None) -> bool:
        if self.pos >= len(self.tokens):
            return False
        k, v = self.tokens[self.pos]
        return (value is None or v == value) and (kind is None or k == kind)

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        if not self.peek(value, kind):
            got = self.tokens[self.pos] if self.pos < len(self.tokens) else "the end"
            raise Unsupported(f"expected {value or kind}, got {got}")
        self.pos += 1
        return self.tokens[self.pos - 1][1]

    def constant(self, value: object) -> str:
        name = f"_c{len(self.constants)}"
        self.constants[name] = value
        return name

    # -- grammar
    def expr(self) -> str:
        return self.chain("or", self.conjunction)

    def conjunction(self) -> str:
        return self.chain("and", self.unary)

    def chain(self, operator: str, operand) -> str:
        """operand (operator operand)*: XPath's and / or are Python's (both short-circuit, both boolean)."""
        parts = [operand()]
        while self.peek(operator, "name"):
            self.take()
            parts.append(operand())
        return parts[0] if len(parts) == 1 else "(" + f" {operator} ".join(parts) + ")"

    def unary(self) -> str:
        if self.peek("not", "name"):
            self.take()
            self.take("(")
            inner = self.expr()
            self.take(")")
            return f"(not {inner})"
        if self.peek("("):
            self.take()
            inner = self.expr()
            self.take(")")
            return inner
        if self.peek(kind="axis"):
            return f"(tag == {self.take()[len('self::'):]!r})"
        if self.peek(kind="descendants"):
            name = self.take()[len(".//"):]
            if name == "*":
                raise Unsupported("a descendant test of any element")
            return f"(next(el.iterdescendants({name!r}), None) is not None)"
        if self.peek(kind="attribute"):
            names = self.attributes()
            if self.peek("="):
                self.take()
                if len(names) != 1:
                    raise Unsupported("a union compared with =")
                return f"({self.attribute(names[0])} == {self.literal()!r})"
            if len(names) != 1:
                raise Unsupported("a union as a boolean")
            return f"({self.attribute(names[0])} is not None)"
        if self.peek(kind="name"):
            return self.function()
        raise Unsupported(f"unexpected {self.tokens[self.pos] if self.pos < len(self.tokens) else 'end'}")

    def function(self) -> str:
        name = self.take(kind="name")
        self.take("(")
        subject = self.string_argument()
        self.take(",")
        pattern = self.literal()
        flags = ""
        if name == "re:test" and self.peek(","):
            self.take()
            flags = self.literal()
        self.take(")")
        if name == "contains":
            return f"({pattern!r} in {subject})"
        if name == "starts-with":
            return f"{subject}.startswith({pattern!r})"
        if name == "re:test":
            if set(flags) - {"i", "g"}:      # (lxml reads only "i"; "g" changes nothing for test)
                raise Unsupported(f"re:test flags {flags!r}")
            compiled = re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
            return f"({self.constant(compiled.search)}({subject}) is not None)"
        raise Unsupported(f"function {name}")

    def string_argument(self) -> str:
        if self.peek("translate", "name"):
            self.take()
            self.take("(")
            inner = self.string_argument()
            self.take(",")
            source = self.literal()
            self.take(",")
            target = self.literal()
            self.take(")")
            table = {ord(c): (target[i] if i < len(target) else None) for i, c in reversed(list(enumerate(source)))}
            return f"{inner}.translate({self.constant(table)})"
        names = self.attributes()
        if len(names) == 1:
            return f"({self.attribute(names[0])} or '')"
        present = " + ".join(f"({self.attribute(n)} is not None)" for n in names)
        values = " or ".join(self.attribute(n) for n in names)
        # (with one of them present its value is the string; with several, the order decides)
        return f"({values} or '' if {present} < 2 else _first(el, {tuple(names)!r}))"

    def attributes(self) -> list[str]:
        names = [self.take(kind="attribute")[1:]]
        while self.peek("|") and self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1][0] == "attribute":
            self.take()
            names.append(self.take(kind="attribute")[1:])
        return names

    def literal(self) -> str:
        return self.take(kind="string")[1:-1]


def _first(el, names: tuple[str, ...]) -> str:
    """The string of the union of `names`: its first attribute as the element writes them."""
    for key, value in el.items():
        if key in names:
            return value
    return ""


class PythonXPath:
    """An XPath of the subset, called like `lxml.etree.XPath` on an element: a list of elements."""

    def __init__(self, source: str, tags: tuple[str, ...], match, fallback: etree.XPath | None = None,
                 first: str | None = None) -> None:
        self.path = source
        self.tags = tags
        self.match = match
        self.fallback = fallback
        self.first = first          # None (every match), "page" ((…)[1]) or "parent" (…[1])

    def __call__(self, tree) -> list:
        if not isinstance(tree, etree._Element):    # (an ElementTree, a document: the XPath itself)
            if self.fallback is None:
                self.fallback = etree.XPath(self.path, namespaces={"re": REGEXP_NS})
            return self.fallback(tree)
        match = self.match
        found = tree.iterdescendants(*self.tags) if self.tags else tree.iterdescendants(etree.Element)
        if self.first == "page":
            return next(([el] for el in found if match(el)), [])
        if self.first == "parent":
            # (in document order a parent's first matching child comes before its other ones)
            parents, out = set(), []
            for el in found:
                if match(el) and (parent := el.getparent()) not in parents:
                    parents.add(parent)
                    out.append(el)
            return out
        return [el for el in found if match(el)]

    def __repr__(self) -> str:
        return f"PythonXPath({' '.join(self.path.split())[:80]!r}…)"


def _names_only(tokens: list) -> tuple[str, ...]:
    """The names of a first predicate `[self::a or self::b …]`, else ()."""
    names, i = [], 2                      # (tokens[0] is .//*, tokens[1] the "[")
    while i < len(tokens) and tokens[i][0] == "axis":
        names.append(tokens[i][1][len("self::"):])
        if tokens[i + 1] == ("punct", "]"):
            return tuple(names)
        if tokens[i + 1] != ("name", "or"):
            return ()
        i += 2
    return ()


_FIRST_OF_PARENT = [("punct", "["), ("number", "1"), ("punct", "]")]
_FIRST_OF_PAGE = [("punct", ")")] + _FIRST_OF_PARENT


def compile_xpath(source: str, fallback: etree.XPath | None = None) -> PythonXPath | None:
    """The expression as a PythonXPath, or None when it is outside the subset."""
    first = None
    try:
        tokens = _tokens(source)
        if tokens[:1] == [("punct", "(")] and tokens[-4:] == _FIRST_OF_PAGE:
            first, tokens = "page", tokens[1:-4]
        elif tokens[-3:] == _FIRST_OF_PARENT:
            first, tokens = "parent", tokens[:-3]
        if not tokens or tokens[0] != ("descendants", ".//*"):
            raise Unsupported("not a .//* path")
        compiler = _Compiler(tokens, 1)
        predicates = []
        while compiler.peek("["):
            compiler.take()
            predicates.append(compiler.expr())
            compiler.take("]")
        if compiler.pos != len(tokens) or not predicates:
            raise Unsupported("tokens after the predicates")
    except (Unsupported, re.error):
        return None
    tags = _names_only(tokens)
    if tags:     # a first predicate that only names the element becomes lxml's tag filter (in C)
        predicates = predicates[1:]
    body = " and ".join(predicates) or "True"
    code = ("def match(el):\n"
            + ("    get = el.get\n" if compiler.attributes_read else "")
            + "".join(f"    {var} = get({name!r})\n" for name, var in compiler.attributes_read.items())
            + ("    tag = el.tag\n" if "tag ==" in body else "")
            + f"    return {body}\n")
    namespace = dict(compiler.constants, _first=_first)
    try:
        exec(compile(code, f"<xpath {' '.join(source.split())[:60]}>", "exec"), namespace)
    except SyntaxError:     # (not expected: every name and literal goes in through repr)
        return None
    return PythonXPath(source, tags, namespace["match"], fallback, first)


def install() -> int:
    """Swap the compilable expressions of trafilatura's SWAPPED_LISTS for PythonXPaths, in place
    (the lists are shared by every module that imported them). Returns how many were swapped."""
    from trafilatura import xpaths

    swapped = 0
    for list_name in SWAPPED_LISTS:
        expressions = getattr(xpaths, list_name, None)
        if not isinstance(expressions, list):
            continue
        for i, expression in enumerate(expressions):
            if isinstance(expression, etree.XPath):
                fast = compile_xpath(expression.path, expression)
                if fast is not None:
                    expressions[i] = fast
                    swapped += 1
    return swapped
