"""The one compiled part: py3langid's scoring in C (tasks/_langid_score.c). Optional: without a
C compiler the package still installs, and tasks/language.py scores with numpy instead."""
from setuptools import Extension, setup

setup(ext_modules=[Extension("tasks._langid_score", ["tasks/_langid_score.c"], optional=True,
                             extra_compile_args=["-O2"])])
