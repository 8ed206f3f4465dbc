"""A unit test module loaded under a name of its own, so that a server test runs its checks on PostgreSQL or MariaDB."""

from __future__ import annotations

import importlib.util
import pathlib


def unit_module(name: str):
    """``tests/unit/<name>.py``, loaded afresh (its tests are not collected again here)."""
    spec = importlib.util.spec_from_file_location(f"{name}_on_server",
                                                  pathlib.Path(__file__).resolve().parent.parent / "unit" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
