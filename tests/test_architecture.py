"""The import directions of docs/architecture.md hold, and the checker that keeps them
(import-linter, its contracts in pyproject.toml) does refuse a forbidden import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("asmhub", "core", "resources", "learning_groups", "dialogues")


def lint_imports(cwd):
    return subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path):
    """A copy of the project's packages and contracts, to break on purpose."""
    for name in PACKAGES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, forbidden",
    [
        ("resources/models/resource.py", "import asmhub.views"),  # no app imports the project
        ("core/xmlsafe.py", "import resources.models"),  # core knows no app
        ("learning_groups/models.py", "import dialogues.models"),  # one way only
        ("resources/search/version.py", "import resources.filters"),  # search under filters
        ("resources/discovery/oai.py", "import resources.curation.roles"),  # siblings apart
        ("resources/files/uploads.py", "import resources.models"),  # files is the floor
    ],
)
def test_a_forbidden_import_breaks_a_contract(tree, module, forbidden):
    path = tree / module
    path.write_text(path.read_text() + f"\n{forbidden}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout
    assert "BROKEN" in result.stdout
