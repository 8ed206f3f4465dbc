"""The platform's attributes on our OLX elements: accepted on import, kept, and written back on export.

Studio (export, import, copy-paste, library sync) writes its own settings as attributes of every
component's element: visibility (``visible_to_staff_only``, ``group_access``), dates (``start``,
``due``, ``graceperiod``, ``hide_after_due``), grading (``format``, ``graded``), identity
(``url_name``, ``xblock-family``) and more with each release. A block whose parser refused them
would become an error block on import; one whose exporter dropped them would lose the course team's
settings. So:

* our own attributes are parsed and validated strictly by each block's parser;
* every other attribute is the platform's: a field of the block's class (the platform mixes its
  fields into every block) is set from its OLX text, anything else is kept verbatim and written
  back on export, as the platform itself keeps unknown attributes of its own blocks;
* a name that looks like a misspelling of one of our attributes (``max_attempt``, ``Pass_Mark``) is
  refused, so an author's typo is not silently kept as a platform setting;
* ``url_name`` and ``xblock-family`` are read by the runtime, not stored.

Pure functions over lxml elements and plain dicts, tested without a runtime.
"""

from __future__ import annotations

import difflib
import json

from .olx import OLXError

# Read by the runtime itself (the block's usage id, the entry-point family); never stored by us.
RUNTIME_ATTRIBUTES = frozenset({"url_name", "xblock-family"})

# Read by Studio's paste only: the library version copied, which the paste turns into ``upstream_version``
# (cms/djangoapps/contentstore/helpers.py ``_import_xml_node_to_parent``). Accepted and not kept, so a
# later export or copy never carries a stale one.
CLIPBOARD_ATTRIBUTES = frozenset({"copied_from_version"})

# Attributes the platform writes on components (LmsBlockMixin, InheritanceMixin, XModuleMixin,
# EditInfoMixin, the library-sync and tagging fields). Never taken for a misspelling of ours, even
# when close to one of our names (``max_attempts`` is ours on the quiz, the platform's elsewhere).
KNOWN_PLATFORM_ATTRIBUTES = frozenset({
    "visible_to_staff_only", "group_access", "start", "due", "graceperiod", "hide_after_due", "format",
    "graded", "weight", "showanswer", "show_correctness", "rerandomize", "max_attempts",
    "days_early_for_beta", "static_asset_path", "course_edit_method", "giturl", "use_latex_compiler",
    "show_reset_button", "submission_wait_seconds", "matlab_api_key", "relative_weeks_due",
    "is_entrance_exam", "in_entrance_exam", "hide_from_toc", "self_paced", "edxnotes", "ispublic",
    "video_speed_optimizations", "source_file", "filename", "parent_url", "parent_sequential_url",
    "upstream", "upstream_version", "upstream_version_declined", "upstream_display_name",
    "upstream_data", "downstream_customized", "copied_from_block", "copied_from_version_num",
    "top_level_downstream_parent_key",
    "tags-v1", "name", "tags", "display_name",
}) | RUNTIME_ATTRIBUTES | CLIPBOARD_ATTRIBUTES


def _normalised(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def looks_like_ours(name: str, own: frozenset[str] | set[str]) -> str | None:
    """The attribute of ours that ``name`` probably misspells, or None."""
    if name in own or name in KNOWN_PLATFORM_ATTRIBUTES or ":" in name or name.startswith("{"):
        return None
    by_shape = {_normalised(o): o for o in own}
    if _normalised(name) in by_shape:
        return by_shape[_normalised(name)]
    close = difflib.get_close_matches(name, sorted(own), n=1, cutoff=0.85)
    return close[0] if close else None


def platform_attributes(node, own: frozenset[str] | set[str]) -> dict[str, str]:
    """Every attribute of ``node`` that is not ours (and not the runtime's), as written.

    Raises :class:`OLXError` for a name that looks like a misspelling of one of ours.
    """
    found: dict[str, str] = {}
    for name, value in node.attrib.items():
        if name in own or name in RUNTIME_ATTRIBUTES:
            continue
        guess = looks_like_ours(name, own)
        if guess is not None:
            raise OLXError(f'unknown attribute {name}: did you mean "{guess}"?', node)
        found[name] = value
    return found


def split_by_field(attrs: dict[str, str], fields: dict, own: frozenset[str] | set[str], settings_scope):
    """``(field values, kept verbatim)``: attributes naming a settings field of the block's class
    (a platform mixin's field) are converted with the field's own ``from_string``; the rest are kept
    as text. A value the field refuses is an :class:`OLXError` naming the attribute."""
    values: dict = {}
    kept: dict[str, str] = {}
    for name, text in attrs.items():
        if name in CLIPBOARD_ATTRIBUTES:
            continue
        field = fields.get(name)
        if field is None or name in own or name == "xml_attributes" or field.scope != settings_scope:
            kept[name] = text
            continue
        try:
            values[name] = field.from_string(text)
        except Exception as exc:  # noqa: BLE001 - any conversion failure is the author's input
            raise OLXError(f'attribute {name}="{text}" is not valid: {exc}') from None
    return values, kept


def write_platform_attributes(node, field_values: dict[str, str], kept: dict[str, str]) -> None:
    """Put the platform's attributes back on an exported element, without overwriting ours."""
    for name, text in {**kept, **field_values}.items():
        if text is None or name in RUNTIME_ATTRIBUTES or node.get(name) is not None:
            continue
        node.set(name, text)


def serialize_value(field, value) -> str | None:
    """A settings field's value as the platform writes it in OLX: text as is, anything else as JSON."""
    if value is None:
        return None
    data = field.to_json(value)
    if isinstance(data, str):
        return data
    return json.dumps(data, separators=(",", ":")) if isinstance(data, (dict, list)) else json.dumps(data)
