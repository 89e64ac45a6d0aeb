"""What the benchmarks load before their clock starts: what a process loads once, so that a
figure is the steady per-document cost. Imports `tasks` from wherever the calling script put it
on sys.path (bench/perf_check.py may point it at another tree)."""
from __future__ import annotations


def compile_rules() -> None:
    """Compile the rule alternations a process otherwise compiles on a line's first use (~0.1 s once)."""
    from tasks.rules import get_rules
    rules = get_rules()
    if hasattr(rules, "compile_all"):   # older code (an A/B run's base) compiles them lazily
        rules.compile_all()


def warm_up_text_cleaner() -> None:
    """The rule, date and Unicode tables and the language model (tasks.clean_text.prepare_text_cleaner,
    which the pipeline's workers call too; an older tree's cleaner through one small page)."""
    import tasks.clean_text as ct
    if hasattr(ct, "prepare_text_cleaner"):
        ct.prepare_text_cleaner()
        return
    from tasks.dates import find_dates
    from tasks.normalize import match_key
    para = "The minister said on Tuesday that the new hospital would open next year in the capital. " * 3
    ct.clean_text(f"Warm up - Site\nHome\n15 May 2024\nWarm up\n{para}\nShare\n© 2024 Site")
    find_dates("15 May 2024")
    match_key("Café")
    compile_rules()
