# A setup.py with side effects: a scan must parse it, never run it.
import pathlib

pathlib.Path("SETUP_PY_WAS_EXECUTED").write_text("oops")

from setuptools import setup

setup(
    name="never-run",
    version="0.0.1",
    license="MIT",
    install_requires=["six>=1.0"],
)
