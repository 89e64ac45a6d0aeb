"""Rule patterns that match lines but never name one: an earlier concept always takes their lines.

    .venv/bin/python bench/rule_shadows.py                          # the devset's dumps
    .venv/bin/python bench/rule_shadows.py --input <folder of .txt> --rules <your rules dir>

The first concept whose line or pattern matches a line names it (tasks/rules.py, in table order:
the files by name, then their concepts in order). A pattern whose every matching line some earlier
concept already takes changes nothing, and its concept's reason is never given for those lines:
"© REUTERS / POOL" was a copyright notice, not a caption, until captions came before copyright in
legal.yaml. For every distinct line of the dumps (normalized as the cleaner sees them) this asks
the rule engine which concept names it, then tries every pattern of every concept on it; it prints
the patterns that matched some line and named none, with the concepts that took their lines and an
example. Not every such row is a mistake: an inline teaser's pattern may sit behind a related-list
header's on purpose (the cleaner tells the two apart by the text after the colon).

It also lists the patterns that the literal gate keeps from lines they match. A pattern that needs a
literal is tried only on lines holding it, and a word literal is looked for at the start of a word,
by its first three characters: a literal of two ("jp" of `jpe?g`: "jpg" starts with "jpg") or one
glued inside a word is never found. Every row of that list is a pattern that cannot fire as written.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import DEVSET  # noqa: E402  (bench/; puts the repository on sys.path)

from tasks.normalize import normalize_text  # noqa: E402
from tasks.rules import _LEAD, get_rules, load_rule_data, rule_form  # noqa: E402


def distinct_lines(paths: list[Path]) -> list[str]:
    seen: dict[str, None] = {}
    for p in paths:
        for line in normalize_text(p.read_text(encoding="utf-8", errors="replace")).split("\n"):
            if line:
                seen.setdefault(line, None)
    return list(seen)


def shadowed_patterns(lines: list[str], rules_dir: str | None) -> list[tuple]:
    """(concept, language, pattern, lines it matched, the concepts that named them, an example line)
    for each pattern that matched some line and named none."""
    rules = get_rules(None, rules_dir)
    data = load_rule_data(rules_dir)
    patterns = [(name, c.max_chars, lang, p, re.compile(rule_form(p), re.I))
                for name, c in data.concepts.items() for lang, ps in c.patterns.items() for p in ps]
    matched, named = Counter(), Counter()
    taken_by: dict[int, Counter] = defaultdict(Counter)
    example: dict[int, str] = {}
    for line in lines:
        winner = rules.match(line)
        bare = rule_form(line)
        for k, (concept, max_chars, _, p, rx) in enumerate(patterns):
            if len(bare) > max_chars or not (rx.match(bare) if p.startswith("^") else rx.search(bare)):
                continue
            matched[k] += 1
            if winner == concept:
                named[k] += 1
            else:
                taken_by[k][winner] += 1
                example.setdefault(k, line)
    return [(patterns[k][0], patterns[k][2], patterns[k][3], matched[k], dict(taken_by[k].most_common(3)), example[k])
            for k in sorted(matched) if not named[k]]


def gate_misses(lines: list[str], rules_dir: str | None) -> list[tuple]:
    """(concept, pattern, the literals it is gated by, lines it matched that the gate kept from it, an
    example line) for each gated pattern that matched a line the gate did not let it try."""
    rules = get_rules(None, rules_dir)
    # one entry of the gate per (pattern, literal): a pattern is let through by any of its literals
    entries: dict[int, list[int]] = defaultdict(list)
    for e, (_, rx, _, _) in enumerate(rules._gated):
        entries[id(rx)].append(e)
    missed: Counter = Counter()
    example: dict[int, str] = {}
    for line in lines:
        bare = rule_form(line)
        n = len(bare)
        seen = bare.lstrip(_LEAD)          # what the gated patterns see (tasks/rules.py LineRules.match)
        if not seen or n > rules.max_chars:
            continue
        cand = rules.gated_candidates(seen.casefold())
        for key, es in entries.items():
            concept, rx, anchored, _ = rules._gated[es[0]]
            if n > rules._max[concept] or not cand.isdisjoint(es):
                continue
            if rx.match(seen) if anchored else rx.search(seen):
                missed[key] += 1
                example.setdefault(key, line)
    rows = []
    for key in missed:
        es = entries[key]
        concept, rx, _, _ = rules._gated[es[0]]
        literals = sorted({lit for e in es for lit in (rules._gated[e][3] or [])})
        rows.append((concept, rx.pattern, literals, missed[key], example[key]))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", default=str(DEVSET), help="a folder of .txt dumps (default: the devset's)")
    ap.add_argument("--rules", default=None, help="a rules folder merged over the built-in tables")
    args = ap.parse_args(argv)
    paths = sorted(p for p in Path(args.input).rglob("*.txt") if not p.name.endswith(".gold.txt"))
    lines = distinct_lines(paths)
    rows = shadowed_patterns(lines, args.rules)
    print(f"{len(paths)} files, {len(lines)} distinct lines: {len(rows)} patterns matched lines and named none")
    for concept, lang, pattern, n, taken, line in rows:
        print(f"{concept} [{lang}] {pattern!r}: {n} lines, named by {taken}; e.g. {line[:100]!r}")
    misses = gate_misses(lines, args.rules)
    print(f"{len(misses)} patterns matched lines that their literal gate kept from them")
    for concept, pattern, literals, n, line in misses:
        print(f"{concept} {pattern!r} (gated by {literals}): {n} lines; e.g. {line[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
