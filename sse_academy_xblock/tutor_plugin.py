"""Tutor plugin ``sse-academy``: installs this package into the ``openedx`` image.

Loaded by Tutor only (entry point ``tutor.plugin.v1``); nothing else in the package imports it, and
it imports nothing but Tutor. The operator names where the package comes from with one setting:

``SSE_ACADEMY_XBLOCK_SOURCE``
    * a wheel file or a source directory on the machine that runs Tutor: it is copied into the image's
      build context (``env/build/openedx/sse-academy-xblock/``) when the environment is saved, and
      installed from there;
    * or a pip requirement that pip fetches itself: ``git+https://...@<tag>``, an ``https://`` URL of a
      wheel, or a name on the operator's own package index.

Nothing else is needed: the LMS and Studio load our Django app through the platform's plugin entry
points, and ``tutor local launch`` (or ``tutor k8s launch``) runs its migrations. See README.md,
"Install in Open edX".
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from tutor import hooks

SETTING = "SSE_ACADEMY_XBLOCK_SOURCE"
CONTEXT_DIR = "sse-academy-xblock"  # inside the openedx build context (env/build/openedx/)
IMAGE_DIR = "/openedx/sse-academy-xblock"
# What a source directory may hold that an install does not need (and must not be copied).
IGNORED = shutil.ignore_patterns(
    ".git", ".hg", ".venv*", "venv", ".tox", ".mypy_cache", ".pytest_cache", "__pycache__", "*.pyc", "build",
    "dist", "*.egg-info", "node_modules", "var", "course.tar.gz",
)

hooks.Filters.CONFIG_DEFAULTS.add_items([(SETTING, "")])

_staged: dict[str, str] = {}


def is_local(source: str) -> bool:
    """A path on the Tutor machine (as opposed to something pip fetches itself)."""
    if not source or "://" in source or source.startswith("git+"):
        return False
    return os.path.exists(os.path.expanduser(source))


def is_missing_path(source: str) -> bool:
    """A path (absolute, relative, ``~`` or a ``.whl``) that does not exist: an operator's typo."""
    if not source or "://" in source or source.startswith("git+"):
        return False
    looks_like_path = source.startswith(("/", ".", "~")) or source.endswith(".whl") or os.sep in source
    return looks_like_path and not os.path.exists(os.path.expanduser(source))


def _stage(source: str) -> str:
    """Copy a local wheel or directory into a template root of our own; return the root."""
    if source in _staged:
        return _staged[source]
    root = tempfile.mkdtemp(prefix="tutor-sse-academy-")
    atexit.register(shutil.rmtree, root, True)
    target = os.path.join(root, CONTEXT_DIR)
    os.makedirs(target)
    path = os.path.abspath(os.path.expanduser(source))
    if os.path.isdir(path):
        shutil.copytree(path, os.path.join(target, "source"), ignore=IGNORED)
    else:
        shutil.copy2(path, os.path.join(target, os.path.basename(path)))
    _staged[source] = root
    return root


def install_target(source: str) -> str:
    """What ``pip install`` is given inside the image."""
    if not is_local(source):
        return source
    path = os.path.abspath(os.path.expanduser(source))
    return f"{IMAGE_DIR}/source" if os.path.isdir(path) else f"{IMAGE_DIR}/{os.path.basename(path)}"


@hooks.Actions.CONFIG_LOADED.add()
def _copy_local_source(config) -> None:
    source = str(config.get(SETTING) or "").strip()
    if is_local(source):
        hooks.Filters.ENV_TEMPLATE_ROOTS.add_item(_stage(source))
        hooks.Filters.ENV_TEMPLATE_TARGETS.add_item((CONTEXT_DIR, "build/openedx"))


@hooks.Filters.IS_FILE_RENDERED.add()
def _copy_verbatim(result: bool, path: str) -> bool:
    """Our package's files are copied as they are, never rendered as Jinja templates."""
    return False if path.startswith(CONTEXT_DIR + "/") else result


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


DOCKERFILE_PATCH = """{% set source = """ + SETTING + """ | trim %}
{% if not source %}
RUN echo "sse-academy: set """ + SETTING + """ to a wheel, a source directory or a git URL (README: Install in Open edX)" && false
{% elif source | sse_academy_is_missing_path %}
RUN echo "sse-academy: {{ source | sse_academy_quoted }} was not found on the machine that runs tutor" && false
{% elif source | sse_academy_is_local %}
COPY """ + CONTEXT_DIR + """ """ + IMAGE_DIR + """
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install {{ source | sse_academy_install_target | sse_academy_quoted }}
{% else %}
RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\
    $PIP_COMMAND install {{ source | sse_academy_quoted }}
{% endif %}"""

hooks.Filters.ENV_PATCHES.add_item(("openedx-dockerfile-post-python-requirements", DOCKERFILE_PATCH))


hooks.Filters.ENV_TEMPLATE_FILTERS.add_items([
    ("sse_academy_is_local", is_local),
    ("sse_academy_is_missing_path", is_missing_path),
    ("sse_academy_install_target", install_target),
    ("sse_academy_quoted", _quoted),
])


# Content libraries (v2) offer a block type under "Advanced / Other" only when Studio's settings list it in
# ``LIBRARY_ENABLED_BLOCKS`` (cms/envs/common.py; read by content_libraries' ``get_allowed_block_types``). Our three
# leaf blocks are added to what the platform and other plugins listed; the profile shows a placeholder in a
# library and its learners' profile once used in a course (README: "Content libraries").
LIBRARY_BLOCK_TYPES = ("sse_quiz", "sse_case_study", "sse_profile")
CMS_LIBRARY_SETTINGS = """
# sse-academy: our leaf blocks can be created in content libraries
LIBRARY_ENABLED_BLOCKS = list(LIBRARY_ENABLED_BLOCKS) + [
    block_type for block_type in """ + repr(LIBRARY_BLOCK_TYPES) + """ if block_type not in LIBRARY_ENABLED_BLOCKS
]
"""

hooks.Filters.ENV_PATCHES.add_item(("openedx-cms-common-settings", CMS_LIBRARY_SETTINGS))
