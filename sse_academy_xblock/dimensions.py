"""The four strategic objectives of the ILO Decent Work Agenda: the only list of them in the project."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import gettext_noop as _


@dataclass(frozen=True)
class Dimension:
    """One Decent Work dimension: a stable machine id and a translatable label."""

    id: str
    label: str


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("employment", _("Employment")),
    Dimension("social_protection", _("Social protection")),
    Dimension("social_dialogue", _("Social dialogue")),
    Dimension("rights_at_work", _("Rights at work")),
)

DIMENSION_IDS: tuple[str, ...] = tuple(d.id for d in DIMENSIONS)
DEFAULT_DIMENSION = DIMENSION_IDS[0]
_BY_ID = {d.id: d for d in DIMENSIONS}


def is_dimension(value: object) -> bool:
    return isinstance(value, str) and value in _BY_ID


def get(dimension_id: str) -> Dimension:
    """Return the dimension with this id; raise ``KeyError`` for anything else."""
    return _BY_ID[dimension_id]


def label(dimension_id: str, gettext=None) -> str:
    """The learner-facing label of a dimension, translated with ``gettext`` when one is given."""
    text = _BY_ID[dimension_id].label
    return gettext(text) if gettext else text


def choices(gettext=None) -> list[dict]:
    """Dimensions as ``[{'value': id, 'display_name': label}]`` for Studio editors and JS."""
    return [{"value": d.id, "display_name": gettext(d.label) if gettext else d.label} for d in DIMENSIONS]


def empty_breakdown() -> dict[str, dict[str, float]]:
    """A per-dimension ``{'earned': 0, 'possible': 0}`` map in the canonical order."""
    return {d: {"earned": 0.0, "possible": 0.0} for d in DIMENSION_IDS}
