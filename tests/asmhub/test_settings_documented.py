"""Every environment variable the settings read is in the README's configuration table,
and every ASMHUB_* setting the code reads is defined in asmhub/settings.py."""

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# What the app reads at start-up: Django's settings and gunicorn's configuration.
CONFIGURATION = [REPO / "asmhub" / "settings.py", REPO / "gunicorn.conf.py"]
# Functions of those files that read an environment variable named by their first argument.
READERS = {"get", "getenv", "env_bool", "env_list", "_int"}
CODE = [
    "asmhub",
    "core",
    "resources",
    "learning_groups",
    "dialogues",
    "network",
    "voices",
    "usage",
    "usage_reports",
    "scripts",
    "tests",
]
SETTING_USE = re.compile(
    r"""settings\.(ASMHUB_[A-Z0-9_]+)"""
    r"""|getattr\(\s*settings,\s*["'](ASMHUB_[A-Z0-9_]+)["']"""
    r"""|override_settings\([^)]*?\b(ASMHUB_[A-Z0-9_]+)\s*="""
)


def environment_reads(path):
    """Names of the environment variables path reads: os.environ.get("X"),
    os.environ["X"], os.getenv("X"), env_bool("X"), env_list("X"), _int("X")."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called not in READERS:
                continue
            if called == "get" and not _is_environ(func.value):
                continue
            first = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_environ(node.value):
            first = node.slice
        else:
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def _is_environ(node):
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def readme_table():
    """The variable names of the README's configuration table."""
    text = (REPO / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def defined_settings():
    """Names assigned in asmhub/settings.py, at any level (some only in a branch)."""
    tree = ast.parse((REPO / "asmhub" / "settings.py").read_text())
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_the_reader_finds_every_kind_of_read(tmp_path):
    """A test that found nothing would pass for ever: each spelling is recognised."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        'A = os.environ.get("ONE", "")\n'
        'B = os.environ["TWO"]\n'
        'C = os.getenv("THREE")\n'
        'D = env_bool("FOUR", True)\n'
        'E = env_list("FIVE")\n'
        'F = _int("SIX", 1)\n'
        'G = {}.get("NOT_AN_ENVIRONMENT_VARIABLE")\n'
    )
    assert environment_reads(sample) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"}


def test_the_configuration_reads_variables():
    names = set().union(*(environment_reads(path) for path in CONFIGURATION))
    # A sample of what the table must hold, so a broken parser cannot pass unnoticed.
    assert {"DJANGO_SECRET_KEY", "ASMHUB_FACET_INDEX", "GUNICORN_WORKERS", "PORT"} <= names


def test_every_environment_variable_is_in_the_readme():
    documented = readme_table()
    for path in CONFIGURATION:
        missing = environment_reads(path) - documented
        assert not missing, (
            f"{path.relative_to(REPO)} reads {sorted(missing)}, which the README's "
            "configuration table does not list"
        )


def test_every_asmhub_setting_used_is_defined():
    defined = defined_settings()
    used = {}
    for folder in CODE:
        for path in (REPO / folder).rglob("*.py"):
            if path.parts[-3:] == ("asmhub", "settings.py") or "migrations" in path.parts:
                continue
            for match in SETTING_USE.finditer(path.read_text()):
                name = next(group for group in match.groups() if group)
                used.setdefault(name, str(path.relative_to(REPO)))
    assert {"ASMHUB_PAGE_SIZE", "ASMHUB_FACET_INDEX", "ASMHUB_GC_SETTLE_AFTER"} <= set(used)
    undefined = {name: where for name, where in used.items() if name not in defined}
    assert not undefined, f"read but not defined in asmhub/settings.py: {undefined}"


def test_only_the_configuration_reads_the_environment():
    """The apps read settings, never the environment, so that every variable passes
    through asmhub/settings.py (and so the README's table)."""
    readers = {}
    for folder in CODE:
        if folder in ("tests", "scripts"):
            continue
        for path in (REPO / folder).rglob("*.py"):
            if path in CONFIGURATION:
                continue
            names = environment_reads(path)
            if names:
                readers[str(path.relative_to(REPO))] = sorted(names)
    assert not readers, f"read the environment outside asmhub/settings.py: {readers}"
