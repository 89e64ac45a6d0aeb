"""The one compiled part: inner loops in C (tasks/_native.c). Optional: without a C compiler
the package still installs, and tasks/language.py, tasks/normalize.py, tasks/dedup.py and
warehouse/stories.py use their Python twins of those loops instead."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("tasks._native", ["tasks/_native.c"], optional=True,
                             extra_compile_args=["-O2"])])
