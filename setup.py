"""Only one addition to the declarative pyproject.toml: the wheel carries a copy of the project's
ontology/, data/ and queries/ as package data (sckg/_project/), so that `sckg init DIR` can lay out a
working copy after a plain `pip install .` far from any checkout. Those folders live at the top level
(the layout is fixed), outside the package, which package-data globs cannot reach."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROJECT_FOLDERS = ("ontology", "data", "queries")


class BuildWithProjectCopy(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "sckg" / "_project"
        shutil.rmtree(target, ignore_errors=True)
        for folder in PROJECT_FOLDERS:
            shutil.copytree(here / folder, target / folder,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithProjectCopy})
