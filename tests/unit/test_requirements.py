"""Every environment installs pinned files, so a release on the package index cannot change what is tested.

``requirements/*.in`` say what we ask for (ranges); ``make upgrade`` compiles each into the pinned
``requirements/*.txt`` that the Makefile installs. These tests catch a hand-edited or stale pin file, an
install path that bypasses the pins, and a setup.py that drifts from ``requirements/base.in``.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQ = ROOT / "requirements"
COMPILED = sorted(p.stem for p in REQ.glob("*.in"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)$")


def pins(name: str) -> dict[str, str]:
    found = {}
    for line in (REQ / f"{name}.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN.match(line)
        assert match, f"requirements/{name}.txt: '{line}' is not pinned (name==version); run make upgrade"
        found[canonicalize_name(match[1])] = match[2]
    return found


def asked_for(name: str) -> list[Requirement]:
    """The requirements an .in file names, following its ``-r`` includes (not its ``-c`` constraints)."""
    wanted = []
    for line in (REQ / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            wanted += asked_for(line[3:].strip())
        elif line and not line.startswith("-"):
            wanted.append(Requirement(line))
    return wanted


def test_there_is_a_pinned_file_for_every_in_file():
    assert {"base", "test", "dev", "compat", "pip", "mariadb"} <= set(COMPILED)
    for name in COMPILED:
        assert (REQ / f"{name}.txt").exists(), f"requirements/{name}.txt missing: run make upgrade"


@pytest.mark.parametrize("name", COMPILED)
def test_every_requested_package_is_pinned_within_its_range(name):
    pinned = pins(name)
    for requirement in asked_for(f"{name}.in"):
        key = canonicalize_name(requirement.name)
        assert key in pinned, f"{requirement.name} ({name}.in) is not in {name}.txt: run make upgrade"
        assert requirement.specifier.contains(pinned[key], prereleases=True), (
            f"{name}.txt pins {requirement.name}=={pinned[key]}, outside {requirement.specifier}: run make upgrade")


def test_the_constraints_hold_in_every_pinned_file():
    caps = [Requirement(line.split("#", 1)[0].strip()) for line in (REQ / "constraints.txt").read_text().splitlines()
            if line.split("#", 1)[0].strip()]
    for name in COMPILED:
        pinned = pins(name)
        for cap in caps:
            version = pinned.get(canonicalize_name(cap.name))
            assert version is None or cap.specifier.contains(version), f"{name}.txt: {cap.name}=={version} breaks {cap}"


@pytest.mark.parametrize("lower, upper", [("base", "test"), ("test", "dev"), ("base", "dev")])
def test_a_package_has_one_pin_across_the_layers(lower, upper):
    """What the packaging test installs (base), what the suite runs on (test) and the dev venv (dev) agree."""
    low, up = pins(lower), pins(upper)
    assert low.keys() <= up.keys(), f"{sorted(low.keys() - up.keys())} in {lower}.txt but not in {upper}.txt"
    assert {k: v for k, v in low.items() if up[k] != v} == {}, f"{lower}.txt and {upper}.txt disagree"


def test_the_compat_stack_is_the_oldest_supported():
    compat = pins("compat")
    assert compat["django"].startswith("4.2.")
    assert compat["xblock"].startswith("5.")


def test_setup_py_asks_for_the_ranges_of_base_in():
    """setup.py reads requirements/base.in (plus the caps of constraints.txt): one home for run-time ranges."""
    installed = [Requirement(r) for r in metadata.requires("sse-academy-xblock") or []]
    by_name = {canonicalize_name(r.name): r for r in installed if not r.marker}
    for wanted in asked_for("base.in"):
        got = by_name.pop(canonicalize_name(wanted.name), None)
        assert got is not None, f"{wanted.name} is in base.in but not in the installed package's requirements"
        assert set(wanted.specifier) <= set(got.specifier) and wanted.extras == got.extras, (wanted, got)
    assert not by_name, f"setup.py asks for {sorted(by_name)} that base.in does not name"


MAKE_INSTALL = re.compile(r"\bpip install\b(.*)$")


@pytest.mark.parametrize("path", ["Makefile", ".ci/run"])
def test_every_install_path_uses_the_pinned_files(path):
    for number, line in enumerate((ROOT / path).read_text().splitlines(), 1):
        match = MAKE_INSTALL.search(line)
        if not match or line.lstrip().startswith("#"):
            continue
        args = match[1]
        assert re.search(r"-r \$\(REQ\)/[\w-]+\.txt\b", args) or "--no-deps" in args, (
            f"{path}:{number} installs something that is not a pinned file: {line.strip()}")
