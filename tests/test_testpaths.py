"""Every folder of the project that holds tests is one that pytest collects (pyproject.toml's testpaths)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_app_with_tests_is_collected():
    testpaths = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {
        folder.name
        for folder in ROOT.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and (folder / "tests" / "__init__.py").exists()
    }
    assert with_tests - testpaths == set(), "add these folders to testpaths in pyproject.toml"
