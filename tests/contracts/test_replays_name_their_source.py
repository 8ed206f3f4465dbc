"""Every module here that follows the platform's code names the commit it was read at.

A replay says which platform file and function it follows; without the commit of the version read, nobody
can tell later whether the platform has moved on. So each module of this package whose text mentions a
path of the platform's source tree (its LMS, Studio, xmodule, openedx and common djangoapps folders) must
name at least one full commit hash (40 hexadecimal digits) in its module docstring.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# The platform's top folders, followed by a slash; spelled apart so this module does not match itself.
PLATFORM_DIRS = ("lms", "cms", "xmodule", "openedx", "common" + "/djangoapps")
PLATFORM_PATH = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(d) for d in PLATFORM_DIRS) + r")/\w")
COMMIT = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{40}(?![0-9a-fA-F])")
MODULES = sorted(HERE.glob("*.py"))


def platform_paths(text: str) -> list[str]:
    return sorted({match.group(1) for match in PLATFORM_PATH.finditer(text)})


def names_its_source(text: str) -> bool:
    """True unless the module's text mentions a platform path and its docstring names no commit."""
    if not platform_paths(text):
        return True
    return bool(COMMIT.search(ast.get_docstring(ast.parse(text)) or ""))


@pytest.mark.parametrize("module", MODULES, ids=[m.name for m in MODULES])
def test_a_module_that_follows_the_platform_names_a_commit_in_its_docstring(module):
    text = module.read_text(encoding="utf-8")
    assert names_its_source(text), (f"{module.name} mentions the platform's {', '.join(platform_paths(text))} "
                                    "but its docstring names no commit (40 hex digits)")


def test_the_check_sees_the_replays():
    followers = {m.name for m in MODULES if platform_paths(m.read_text(encoding="utf-8"))}
    assert {"platform_replay.py", "lms_users.py", "test_olx_contract.py", "test_masquerade_contract.py"} <= followers
    assert Path(__file__).name not in followers


@pytest.mark.parametrize("text, expected", [  # "{s}" is the slash, kept out of this module's own text
    ("follows lms{s}djangoapps/courseware/block_render.py", ["lms"]),
    ("see xmodule{s}x_module.py and openedx{s}core/lib/grade_utils.py", ["openedx", "xmodule"]),
    ("in common/djangoapps{s}track/event_transaction_utils.py", ["common/djangoapps"]),
    ("edx-completion, openedx-events and tests/contracts/lms_users.py", []),
])
def test_what_counts_as_a_platform_path(text, expected):
    assert platform_paths(text.format(s="/")) == expected


COMMIT_HASH = "e57a655d77b614f19223984e9805b1fb940ab192"


@pytest.mark.parametrize("module_text, named", [
    ('"""Replays lms{s}djangoapps/grades/tasks.py ``_has_db_updated_with_new_score``."""\n', False),
    (f'"""Replays lms{{s}}djangoapps/grades/tasks.py at {COMMIT_HASH}."""\n', True),
    (f'"""Replays the grade task."""\n# lms{{s}}djangoapps/grades/tasks.py at {COMMIT_HASH}\n', False),
    (f'"""Replays lms{{s}}djangoapps/grades/tasks.py at {COMMIT_HASH[:12]}."""\n', False),
    ('"""Runs edx-completion as it is."""\nx = 1\n', True),
])
def test_a_new_replay_without_a_commit_in_its_docstring_fails(module_text, named):
    assert names_its_source(module_text.format(s="/")) is named
