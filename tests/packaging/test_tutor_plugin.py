"""The Tutor plugin, driven by the real ``tutor`` command for Tutor 21 (Ulmo) and Tutor 22 (Verawood).

Each Tutor version is installed from PyPI into a throwaway virtual environment (Tutor is not a
dependency of our package); our package goes into it with ``pip install --no-deps``, exactly as the
README's "Install in Open edX" says, and every command runs in a temporary ``TUTOR_ROOT``. Docker is
not needed: ``tutor config save`` renders the environment, whose Dockerfile and configuration are
then checked for the three kinds of source an operator can name.

The image build itself is replayed without Docker: the rendered Dockerfile names the file of build
constraints it writes (``setuptools==69.1.1`` for Tutor 21, ``80.9.0`` for Tutor 22), the variables that
point pip and uv at it, and the pip and uv versions of the image. Each of the three sources is installed
under exactly those into a throwaway Python 3.11 venv, by pip and by uv (from the package index, as the image
does with ``PIP_COMMAND="uv pip"``); then our app's migrations run on SQLite with ``INSTALLED_APPS`` taken
from the ``lms.djangoapp`` entry points by edx-django-utils' own ``get_plugin_apps`` (the pinned release of
requirements/test.txt), as the LMS builds it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
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


# --- The image's install step, under the image's build constraints -----------------------------------------

@dataclass(frozen=True)
class ImageBuild:
    """What the rendered Dockerfile of one Tutor release says about how packages are built in the image."""

    constraint_path: str  # where the Dockerfile writes its build constraints
    constraints: str  # what it writes there
    variables: tuple[str, ...]  # the ENV variables that point the installers at that file
    pip: str  # the pip version installed into the image's venv
    uv: str  # the uv version copied into the image


def image_build(dockerfile: str) -> ImageBuild:
    written = re.findall(r'^RUN echo "([^"]*)" > (/\S+)$', dockerfile, re.MULTILINE)
    variables = {path: re.findall(rf"^ENV (\w+)={re.escape(path)}$", dockerfile, re.MULTILINE) for _, path in written}
    (content, path), = [(c, p) for c, p in written if variables[p]]  # the one file the installers are pointed at
    assert 'ARG PIP_COMMAND="uv pip"' in dockerfile  # the image installs with uv unless the operator says pip
    return ImageBuild(
        constraint_path=path,
        constraints=content + "\n",
        variables=tuple(variables[path]),
        pip=re.search(r"\bpip==([\w.]+)", dockerfile).group(1),
        uv=re.search(r"ghcr\.io/astral-sh/uv:([\w.]+)", dockerfile).group(1),
    )


MIGRATE_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import django
    from django.conf import settings
    from edx_django_utils.plugins import get_plugin_apps

    plugin_apps = get_plugin_apps("lms.djangoapp")
    settings.configure(
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "submissions", *plugin_apps],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": sys.argv[1]}},
    )
    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    call_command("migrate", verbosity=0)
    app = apps.get_app_config("sse_academy_xblock")
    loader = MigrationLoader(connection)
    json.dump({
        "plugin_apps": plugin_apps,
        "package": app.path,
        "on_disk": sorted(name for label, name in loader.disk_migrations if label == app.label),
        "applied": sorted(name for label, name in loader.applied_migrations if label == app.label),
        "missing_tables": sorted(
            {m._meta.db_table for m in app.get_models()} - set(connection.introspection.table_names())),
    }, sys.stdout)
    """
)


@pytest.fixture(scope="module")
def image(tutor, tmp_path_factory, wheel):
    """One release's image build, replayed: its constraints, and a Python 3.11 venv with its pip and uv."""
    base = tmp_path_factory.mktemp(f"image-{tutor.release}")
    dockerfile, _root = save_with(tutor, base, str(wheel))
    build = image_build(dockerfile)
    constraint_file = base / Path(build.constraint_path).name
    constraint_file.write_text(build.constraints)
    venv = base / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # The image's pip or a post-release of it: the index lists Tutor 22's pip 26.2.2 only as 26.2.2.post1.
    run(pip + [f"pip=={build.pip}.*", f"uv=={build.uv}"])
    # What the platform's venv already holds: our run-time pins, and edx-django-utils to read the entry points.
    run(pip + ["-r", str(ROOT / "requirements" / "base.txt")])
    run(pip + ["-c", str(ROOT / "requirements" / "test.txt"), "edx-django-utils"])
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PIP_CONSTRAINT", "PIP_BUILD_CONSTRAINT", "UV_", "PYTHONPATH", "DJANGO_SETTINGS"))}
    env.update({name: str(constraint_file) for name in build.variables})
    # One cache per release: uv keeps what it built from a git commit, which must be built under each pin.
    env["UV_CACHE_DIR"] = str(base / "uv-cache")
    return {"build": build, "venv": venv, "env": env}


@pytest.fixture(scope="module")
def git_checkout(tmp_path_factory):
    """The checkout as a git repository (its current files, committed), for a ``git+file://`` URL."""
    repo = source_copy(tmp_path_factory.mktemp("git"))
    git = ["git", "-c", "user.name=SSE", "-c", "user.email=sse@example.org", "-c", "init.defaultBranch=main"]
    run([*git, "init", "--quiet"], cwd=repo)
    run([*git, "add", "--all"], cwd=repo)
    run([*git, "commit", "--quiet", "-m", "checkout"], cwd=repo)
    return repo


def test_each_release_pins_setuptools_for_every_build(tutor, image):
    build = image["build"]
    expected = {"ulmo": "setuptools==69.1.1", "verawood": "setuptools==80.9.0"}[tutor.release]
    assert build.constraints.split() == [expected]
    assert {"PIP_CONSTRAINT", "UV_BUILD_CONSTRAINT"} <= set(build.variables)


def install_command(image, installer: str, target: str) -> list[str]:
    """The image's install step (``$PIP_COMMAND install <target>``), with uv (Tutor's default) or pip."""
    python = str(image["venv"] / "bin" / "python")
    if installer == "uv":
        return [str(image["venv"] / "bin" / "uv"), "pip", "install", "--python", python, target]
    return [python, "-m", "pip", "install", "--quiet", target]


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_the_replayed_constraints_refuse_a_build_that_needs_a_newer_setuptools(image, installer, tmp_path):
    """What the image does to a package whose build asks for more than the pin: the replay must do the same."""
    pinned = image["build"].constraints.split("==")[1].strip()
    project = tmp_path / "needs-newer"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["setuptools>{pinned}"]\nbuild-backend = "setuptools.build_meta"\n')
    (project / "setup.py").write_text('from setuptools import setup\nsetup(name="needs-newer", version="1")\n')
    result = run(install_command(image, installer, str(project)), env=image["env"], cwd=tmp_path, check=False)
    assert result.returncode != 0
    assert f"setuptools>{pinned}" in result.stdout + result.stderr


@pytest.mark.parametrize("installer", ["uv", "pip"])
@pytest.mark.parametrize("kind", ["wheel", "source directory", "git URL"])
def test_every_source_installs_under_the_images_build_constraints_and_migrates(
        tutor, image, wheel, git_checkout, tmp_path, kind, installer):
    venv, env = image["venv"], image["env"]
    python = str(venv / "bin" / "python")
    target = {"wheel": lambda: str(wheel), "source directory": lambda: str(source_copy(tmp_path)),
              "git URL": lambda: f"git+file://{git_checkout}"}[kind]()
    run([python, "-m", "pip", "uninstall", "--quiet", "--yes", "sse-academy-xblock"], env=env, cwd=tmp_path)
    result = run(install_command(image, installer, target), env=env, cwd=tmp_path, check=False)
    assert result.returncode == 0, (
        f"{installer} install of the {kind} fails under {image['build'].constraints.strip()} "
        f"(Tutor {tutor.release}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")

    out = run([python, "-c", MIGRATE_SCRIPT, str(tmp_path / "lms.db")], env=env, cwd=tmp_path).stdout
    report = json.loads(out)
    assert "sse_academy_xblock.apps.SSEAcademyConfig" in report["plugin_apps"]
    assert report["package"].startswith(str(venv)), report["package"]  # the installed copy, not a checkout
    assert report["on_disk"] and report["applied"] == report["on_disk"]
    assert not report["missing_tables"]
