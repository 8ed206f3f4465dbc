"""The Tutor plugin, driven by the real ``tutor`` command for Tutor 21 (Ulmo) and Tutor 22 (Verawood).

Each Tutor version is installed from PyPI into a throwaway virtual environment (Tutor is not a
dependency of our package); our package goes into it with ``pip install --no-deps``, exactly as the
README's "Install in Open edX" says, and every command runs in a temporary ``TUTOR_ROOT``. Docker is
not needed: ``tutor config save`` renders the environment, whose Dockerfile and configuration are
then checked for the three kinds of source an operator can name.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from source_tree import source_copy

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

# Each release's pinned file (requirements/tutor-<release>.in, compiled by `make upgrade`).
TUTOR_RELEASES = {"ulmo": "tutor-ulmo.txt", "verawood": "tutor-verawood.txt"}
SETTING = "SSE_ACADEMY_XBLOCK_SOURCE"


def run(args, env=None, cwd=None, check=True):
    result = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel an operator builds from a checkout (``pip wheel --no-deps .``)."""
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source_copy(out)),
         "-w", str(out)])  # from a copy: see source_tree.py
    (found,) = out.glob("sse_academy_xblock-*.whl")
    return found


@pytest.fixture(scope="module", params=sorted(TUTOR_RELEASES))
def tutor(request, tmp_path_factory, wheel):
    """``tutor`` of one release, in its own venv with our plugin installed; returns a runner."""
    base = tmp_path_factory.mktemp(f"tutor-{request.param}")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(pip + ["-r", str(ROOT / "requirements" / "pip.txt")])
    run(pip + ["-r", str(ROOT / "requirements" / TUTOR_RELEASES[request.param])])
    run(pip + ["--no-deps", str(wheel)])  # README step: the plugin comes with the package
    version = run([str(venv / "bin" / "tutor"), "--version"]).stdout
    major = {"ulmo": "21.", "verawood": "22."}[request.param]
    assert f"version {major}" in version, version

    def tutor_cmd(*args, root: Path, check=True):
        env = {**os.environ, "TUTOR_ROOT": str(root), "TUTOR_PLUGINS_ROOT": str(base / "plugins")}
        return run([str(venv / "bin" / "tutor"), *args], env=env, check=check)

    tutor_cmd.release = request.param
    return tutor_cmd


def save_with(tutor, tmp_path, source: str) -> tuple[str, Path]:
    root = tmp_path / "tutor-root"
    tutor("plugins", "enable", "sse-academy", root=root)
    tutor("config", "save", "--set", f"{SETTING}={source}", root=root)
    assert tutor("config", "printvalue", SETTING, root=root).stdout.strip() == source
    return (root / "env" / "build" / "openedx" / "Dockerfile").read_text(), root


def patch_of(dockerfile: str) -> str:
    """Our lines, which must come after the platform's requirements and before the image is assembled."""
    assert dockerfile.index("FROM python AS python-requirements") < dockerfile.index("sse-academy")
    start = dockerfile.index("# Install scorm xblock") if "# Install scorm xblock" in dockerfile else 0
    return dockerfile[start:dockerfile.index("###### Install nodejs")]


def test_the_plugin_is_listed_and_enabled(tutor, tmp_path):
    root = tmp_path / "tutor-root"
    listed = tutor("plugins", "list", root=root).stdout
    assert "sse-academy" in listed
    tutor("plugins", "enable", "sse-academy", root=root)
    assert "sse-academy" in (root / "config.yml").read_text()


def test_a_local_wheel_is_copied_into_the_build_context_and_installed(tutor, tmp_path, wheel):
    dockerfile, root = save_with(tutor, tmp_path, str(wheel))
    copied = root / "env" / "build" / "openedx" / "sse-academy-xblock" / wheel.name
    assert copied.read_bytes() == wheel.read_bytes()  # copied as is, not rendered
    zipfile.ZipFile(copied).testzip()
    patch = patch_of(dockerfile)
    assert "COPY sse-academy-xblock /openedx/sse-academy-xblock" in patch
    assert f"install '/openedx/sse-academy-xblock/{wheel.name}'" in patch
    assert "OPENEDX_EXTRA_PIP_REQUIREMENTS" not in patch


def test_a_source_directory_is_copied_verbatim_without_the_developers_files(tutor, tmp_path):
    dockerfile, root = save_with(tutor, tmp_path, str(ROOT))
    copied = root / "env" / "build" / "openedx" / "sse-academy-xblock" / "source"
    template = "templates/quiz/student.html"
    assert (copied / template).read_text() == (ROOT / template).read_text()  # Django tags untouched
    assert (copied / "setup.py").is_file() and (copied / "sse_academy_xblock" / "tutor_plugin.py").is_file()
    assert not (copied / ".venv").exists() and not (copied / ".git").exists()
    assert "install '/openedx/sse-academy-xblock/source'" in patch_of(dockerfile)


def test_a_git_url_is_installed_by_pip_in_the_image(tutor, tmp_path):
    url = "git+https://git.example.org/ilo/sse-academy-xblock.git@v0.1.0"
    dockerfile, root = save_with(tutor, tmp_path, url)
    patch = patch_of(dockerfile)
    assert f"install '{url}'" in patch and "COPY sse-academy-xblock" not in patch
    assert not (root / "env" / "build" / "openedx" / "sse-academy-xblock").exists()


@pytest.mark.parametrize("source, message", [
    ("", "set SSE_ACADEMY_XBLOCK_SOURCE"),
    ("/nowhere/sse_academy_xblock-0.1.0-py3-none-any.whl", "was not found on the machine that runs tutor"),
])
def test_a_missing_source_makes_the_build_fail_with_a_clear_message(tutor, tmp_path, source, message):
    dockerfile, _root = save_with(tutor, tmp_path, source)
    line = next(li for li in dockerfile.splitlines() if "sse-academy:" in li)
    assert message in line and line.rstrip().endswith("&& false")


def test_disabling_the_plugin_removes_it_from_the_image(tutor, tmp_path, wheel):
    _dockerfile, root = save_with(tutor, tmp_path, str(wheel))
    tutor("plugins", "disable", "sse-academy", root=root)
    tutor("config", "save", root=root)
    dockerfile = (root / "env" / "build" / "openedx" / "Dockerfile").read_text()
    assert "sse-academy" not in dockerfile


def test_studio_offers_our_blocks_in_content_libraries(tutor, tmp_path, wheel):
    """The CMS settings add our leaf blocks to ``LIBRARY_ENABLED_BLOCKS``, after what the platform listed."""
    _dockerfile, root = save_with(tutor, tmp_path, str(wheel))
    settings_dir = root / "env" / "apps" / "openedx" / "settings" / "cms"
    for name in ("production.py", "development.py"):
        text = (settings_dir / name).read_text()
        start = text.index("# sse-academy: our leaf blocks")
        namespace = {"LIBRARY_ENABLED_BLOCKS": ["problem", "html", "sse_quiz"]}
        exec(text[start:text.index("]", start) + 1], namespace)  # noqa: S102 - our own rendered lines
        assert namespace["LIBRARY_ENABLED_BLOCKS"] == ["problem", "html", "sse_quiz", "sse_case_study", "sse_profile"]
    assert "sse-academy" not in (root / "env" / "apps" / "openedx" / "settings" / "lms" / "production.py").read_text()
