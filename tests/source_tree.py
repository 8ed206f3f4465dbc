"""A copy of the checkout to build from (the packaging tests).

Building writes ``sse_academy_xblock.egg-info`` beside setup.py, and the editable install puts the
checkout on ``sys.path``, where that metadata would shadow the installed entry points for every later
run. A copy without the developer's files (virtualenvs, databases, build output) also shows what a
fresh clone builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCE = (".git", ".venv*", "var", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis",
              ".pytest_cache", "course.tar.gz", "node_modules")


def source_copy(where: Path) -> Path:
    target = where / "source"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    return target
