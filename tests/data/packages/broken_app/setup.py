"""A setup.py with a side effect: a scan must read it, never run it."""

import pathlib

from setuptools import setup

pathlib.Path(__file__).with_name("SETUP_PY_WAS_EXECUTED").write_text("oops")

setup(
    name="never-run",
    version="0.0.1",
    license="MIT",
    install_requires=["six>=1.0"],
)
