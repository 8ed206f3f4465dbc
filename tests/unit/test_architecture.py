"""The shape of the package: one-way layers, no import cycle, one name per role.

The layers and the cycle rule are import-linter contracts (``.importlinter`` at the top of the
repository); the rest are rules import-linter cannot express, checked on the source text.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sse_academy_xblock"
DOMAINS = ("quiz", "peer", "profile")

# The name scheme of the domain packages (README, "How the code is organised"): a file name that
# appears in two domain packages means the same role in both.
SHARED_ROLES = {
    "__init__": "the package",
    "models": "tables",
    "olx": "OLX read and write of the block's content",
    "authoring": "editor payload and author warnings",
    "grading": "pure rules: scores, medians, what counts",
    "workflow": "a learner's transactions",
    "learner_state": "reads for the learner's page",
    "staff": "staff reads",
    "staff_actions": "staff writes",
    "presentation": "what a person reads, no queries",
    "events": "the tracking events' names and payloads (docs/events.md), no queries",
}
# Modules that must stay pure: no database, no tables, no platform.
PURE_ROLES = ("grading", "presentation", "olx", "authoring", "events")
IMPURE_IMPORTS = ("django.db", "submissions", ".models", "..platform", "sse_academy_xblock.platform")


def _lint_imports() -> Path | None:
    found = Path(sys.executable).with_name("lint-imports")
    if found.exists():
        return found
    which = shutil.which("lint-imports")
    return Path(which) if which else None


def test_import_contracts_hold():
    """Layers (blocks -> curriculum -> quiz | peer -> profile -> insight -> helpers) and no cycles."""
    command = _lint_imports()
    assert command, "lint-imports is not installed: it is pinned in requirements/test.txt (make install)"
    result = subprocess.run([str(command), "--config", str(ROOT / ".importlinter"), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _own_imports_inside_functions(tree: ast.AST):
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("sse_academy_xblock")):
                yield node.lineno
            elif isinstance(node, ast.Import) and any(a.name.startswith("sse_academy_xblock") for a in node.names):
                yield node.lineno


def test_no_import_of_our_own_modules_is_hidden_inside_a_function():
    """An import inside a function is how a cycle hides from a reader; ours all stand at the top."""
    hidden = [f"{path.relative_to(ROOT)}:{line}" for path, tree in _modules()
              for line in _own_imports_inside_functions(tree)]
    assert not hidden, "imports of our own modules inside functions: " + ", ".join(hidden)


def test_a_file_name_shared_by_domain_packages_has_one_role():
    names: dict[str, list[str]] = {}
    for domain in DOMAINS:
        for path in (PACKAGE / domain).glob("*.py"):
            names.setdefault(path.stem, []).append(domain)
    shared = {name: where for name, where in names.items() if len(where) > 1}
    unknown = {name: where for name, where in shared.items() if name not in SHARED_ROLES}
    assert not unknown, f"names shared by domain packages without a role in the scheme: {unknown}"


def test_statistics_modules_have_names_no_domain_package_uses():
    statistics = {p.stem for p in (PACKAGE / "insight").glob("*.py")} - {"__init__"}
    for domain in DOMAINS:
        clash = statistics & {p.stem for p in (PACKAGE / domain).glob("*.py")}
        assert not clash, f"insight/ and {domain}/ both have {clash}"


def _outside_type_checking(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (names for annotations, never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _outside_type_checking(node)


@pytest.mark.parametrize("domain", DOMAINS)
def test_pure_roles_run_no_queries(domain):
    for role in PURE_ROLES:
        path = PACKAGE / domain / f"{role}.py"
        if not path.exists():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _outside_type_checking(tree):
            if isinstance(node, ast.ImportFrom):
                name = "." * node.level + (node.module or "")
                assert not name.startswith(IMPURE_IMPORTS), f"{domain}/{role}.py imports {name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith(IMPURE_IMPORTS), f"{domain}/{role}.py imports {alias.name}"


def test_no_import_alias_hides_a_module_name():
    """``from . import grading as math`` is the sign of two files sharing a name but not a role.

    Naming the package (``from ..quiz import olx as quiz_olx`` beside the top-level ``olx``) is allowed.
    """
    aliased = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                base = base.joinpath(*(node.module or "").split(".")) if node.module else base
                aliased += [f"{path.relative_to(ROOT)}: {a.name} as {a.asname}" for a in node.names
                            if a.asname and a.asname not in (a.name, f"{base.name}_{a.name}")
                            and (base / f"{a.name}.py").exists()]
    assert not aliased, "modules imported under another name: " + "; ".join(aliased)


def test_the_readme_map_names_every_top_level_module_and_package():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    mapped = text[text.index("### The map"):]
    mapped = mapped[:mapped.index("\n```\n", mapped.index("```") + 3)]
    entries = [p.name for p in PACKAGE.glob("*.py")] + [
        p.name + "/" for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    missing = [name for name in entries if f"\n  {name} " not in mapped]
    assert not missing, f"the README's map does not name {missing}"
