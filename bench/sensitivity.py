"""How much the text cleaner's quality hangs on each threshold of TextCleanConfig: an overfitting check.

    .venv/bin/python bench/sensitivity.py                          # every numeric threshold at x0.67 and x1.5
    .venv/bin/python bench/sensitivity.py --params prose_chars,rule_penalty --factors 0.5,0.8,1.25,2

For every variant (one threshold moved, the others at their defaults) the text cleaner runs over the
devset's dumps and the devset's own score.py scores it; the script prints the change against the
defaults of the full track's macro F1 and the snippet track's F1, each on the two halves of the
devset (`bench/quality.py --half a|b`, by id hash) and overall. A threshold tuned to the pages would
show as a variant that gains on one half and loses on the other; a default near a broad optimum
shows as changes that are small, or negative on both halves. The last lines name the variant with
the best gain on its worse half, for each track.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import DEVSET, _load_score, article_text, half_of, read_dump  # noqa: E402  (bench/)

from tasks.clean_text import TextCleanConfig, clean_text  # noqa: E402  (quality put the repo on sys.path)

# thresholds that only rename a removed line's reason (never what is kept), or that need what the
# devset has not (a per-site memory)
_NO_EFFECT_ON_TEXT = {"nav_run", "nav_chars", "fingerprint_max_chars", "language_prefix_chars"}


def numeric_thresholds() -> list[str]:
    return [f.name for f in dataclasses.fields(TextCleanConfig)
            if f.type in (int, float, "int", "float") and f.name not in _NO_EFFECT_ON_TEXT]


def scaled(name: str, factor: float) -> int | float:
    value = getattr(TextCleanConfig(), name)
    return max(1, round(value * factor)) if isinstance(value, int) else value * factor


def score(config: TextCleanConfig, rows: list[dict], score_mod, devset: Path) -> tuple[float, ...]:
    """(full F1 half a, half b, all; snippet F1 half a, half b, all)"""
    preds = {r["id"]: article_text(clean_text(read_dump(r["id"], devset), config)) for r in rows}
    full = score_mod.score_full(rows, str(devset), None, preds=preds)
    snip = score_mod.score_snippets(rows, str(devset), None, preds=preds)
    out = []
    for docs, agg in ((full, score_mod.macro), (snip, score_mod.micro_snip)):
        for half in ("a", "b", None):
            part = [d for d in docs if half is None or half_of(d["id"]) == half]
            out.append(agg(part)["F1"] if part else 0.0)
    return tuple(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devset", default=str(DEVSET))
    ap.add_argument("--params", help="comma-separated TextCleanConfig fields (default: every numeric threshold)")
    ap.add_argument("--factors", default="0.67,1.5", help="comma-separated multipliers of each default")
    args = ap.parse_args(argv)
    devset = Path(args.devset)
    score_mod = _load_score(devset)
    rows = score_mod.load_manifest(str(devset))
    names = args.params.split(",") if args.params else numeric_thresholds()
    unknown = [n for n in names if n not in {f.name for f in dataclasses.fields(TextCleanConfig)}]
    if unknown:
        print(f"unknown TextCleanConfig fields: {', '.join(unknown)}", file=sys.stderr)
        return 2
    factors = [float(x) for x in args.factors.split(",")]

    base = score(TextCleanConfig(), rows, score_mod, devset)
    print(f"{'defaults':34s} full F1  a {base[0]:.4f}  b {base[1]:.4f}  all {base[2]:.4f}   "
          f"snippets F1  a {base[3]:.4f}  b {base[4]:.4f}  all {base[5]:.4f}")
    print(f"{'variant (change against defaults)':34s} {'full a':>8s} {'full b':>8s} {'full':>8s}   "
          f"{'snip a':>8s} {'snip b':>8s} {'snip':>8s}")
    best = {"full": (float("-inf"), ""), "snippets": (float("-inf"), "")}
    for name in names:
        seen = set()
        for factor in factors:
            value = scaled(name, factor)
            if value in seen or value == getattr(TextCleanConfig(), name):
                continue
            seen.add(value)
            got = score(TextCleanConfig(**{name: value}), rows, score_mod, devset)
            delta = [g - b for g, b in zip(got, base)]
            label = f"{name}={value:g}"
            print(f"{label:34s} " + " ".join(f"{d:+8.4f}" for d in delta[:3]) + "   "
                  + " ".join(f"{d:+8.4f}" for d in delta[3:]))
            for track, (a, b) in (("full", delta[0:2]), ("snippets", delta[3:5])):
                if min(a, b) > best[track][0]:
                    best[track] = (min(a, b), label)
    for track, (gain, label) in best.items():
        print(f"best gain on the worse half, {track} track: {gain:+.4f} ({label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
