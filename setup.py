"""The one compiled part: per-document loops in C (tasks/_native.c). Optional: without a
C compiler the package still installs, and tasks/language.py and tasks/normalize.py use
their Python twins of those loops instead."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("tasks._native", ["tasks/_native.c"], optional=True,
                             extra_compile_args=["-O2"])])
