"""Copy and paste through Studio's clipboard, replayed on our three blocks.

Platform code followed (openedx/openedx-platform), replayed step by step below:

* openedx/core/lib/xblock_serializer/block_serializer.py ``XBlockSerializer._serialize_block`` and
  ``_serialize_normal_block`` (commit 2f8af3b986adf603f19a5947c62ec4ab5f5b4931), which
  openedx/core/djangoapps/content_staging/api.py ``_save_xblock_to_staged_content`` runs on "Copy"
  (commit b7174b55b8bc0989fb03d5c9774a790f818e4821): the block writes itself with ``add_xml_to_node``
  (children aside), then the serializer adds ``top_level_downstream_parent_key`` when set, ``url_name``
  when missing, ``copied_from_block`` (the source's usage key) and, for a block of a v2 content library,
  ``copied_from_version``;
* cms/djangoapps/contentstore/helpers.py ``import_staged_content_from_user_clipboard``,
  ``_import_xml_node_to_parent``, ``ImportIdGenerator`` and ``_fetch_and_set_upstream_link``
  (commit 0a31fc837f7503ed1e9d7bfa0caecd5bc2cfd351) on "Paste": a new usage key in the target course,
  ``parse_xml(node, runtime, keys)`` of the class Studio's runtime mixes, then the link to the source
  (a library block becomes the upstream, with ``upstream_version`` and the fetched
  ``upstream_display_name``; a course block is recorded in ``copied_from_block``), then the save;
* cms/lib/xblock/upstream_sync.py ``UpstreamLink.get_for_block`` and ``UpstreamSyncMixin`` (commit
  2b03bad40318ee1841933e48b9db4a7d40b484ab), cms/lib/xblock/upstream_sync_block.py
  ``fetch_customizable_fields_from_block`` (commit c6607476c5fd8e206a850203fd97512edaffa7c1) and
  cms/lib/xblock/authoring_mixin.py ``AuthoringMixin`` (commit e57a655d77b614f19223984e9805b1fb940ab192):
  the fields Studio mixes into every block (``XBLOCK_MIXINS`` in cms/envs/common.py).

Not replayed: content tags (the staged content carries them apart from the OLX) and static files (our
blocks reference none).
"""

from __future__ import annotations

import uuid

import pytest
from lxml import etree
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from opaque_keys.edx.locator import LibraryLocatorV2, LibraryUsageLocatorV2
from xblock.core import XBlockMixin
from xblock.fields import Integer, List, Scope, ScopeIds, String
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from .test_olx_contract import PLATFORM_ATTRS, PlatformFields, studio_case_olx, studio_profile_olx, studio_quiz_olx

SOURCE_COURSE = CourseKey.from_string("course-v1:SSE+Source+2026")
TARGET_COURSE = CourseKey.from_string("course-v1:SSE+Target+2026")
LIBRARY = LibraryLocatorV2.from_string("lib:SSE:modules")
LIBRARY_VERSION = 4


class StudioFields(XBlockMixin):
    """What Studio mixes into every block, as far as copy and paste read it: ``AuthoringMixin``'s
    ``copied_from_block``, ``UpstreamSyncMixin``'s fields and customizable fields, and XModuleMixin's
    ``location`` and ``url_name``."""

    copied_from_block = String(scope=Scope.settings, enforce_type=True)
    upstream = String(default=None, scope=Scope.settings, hidden=True, enforce_type=True)
    upstream_version = Integer(default=None, scope=Scope.settings, hidden=True, enforce_type=True)
    upstream_version_declined = Integer(default=None, scope=Scope.settings, hidden=True, enforce_type=True)
    upstream_display_name = String(default=None, scope=Scope.settings, hidden=True, enforce_type=True)
    top_level_downstream_parent_key = String(default=None, scope=Scope.settings, hidden=True, enforce_type=True)
    downstream_customized = List(default=[], scope=Scope.settings, hidden=True, enforce_type=True)

    @classmethod
    def get_customizable_fields(cls) -> dict[str, str | None]:
        return {"display_name": "upstream_display_name", "attempts_before_showanswer_button": None, "due": None,
                "force_save_button": None, "graceperiod": None, "grading_method": None, "max_attempts": None,
                "show_correctness": None, "show_reset_button": None, "showanswer": None,
                "submission_wait_seconds": None, "weight": None}

    @property
    def location(self):
        return self.scope_ids.usage_id

    @property
    def url_name(self):
        return self.location.block_id


class Studio:
    """One Studio: a runtime mixing the platform's fields into every block, a store of blocks by usage
    key (the modulestore and the v2 libraries), and the library versions their authoring API reports."""

    def __init__(self):
        self.runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())},
                                   mixins=(StudioFields, PlatformFields))
        self.runtime.get_component_version_from_block = self._component_version
        self.store: dict = {}
        self.parents: dict = {}

    def _component_version(self, block):
        return type("ComponentVersion", (), {"version_num": LIBRARY_VERSION})()

    def author(self, xml: str, usage_key):
        """A block as authored in a course or a library (Studio's import of its OLX)."""
        node = etree.fromstring(xml)
        node.attrib.pop("xblock-family", None)  # the import's runtime removes it before parsing
        cls = self.runtime.load_block_type(node.tag)
        block = cls.parse_xml(node, self.runtime, ScopeIds(None, node.tag, usage_key, usage_key))
        return self.update_item(block)

    def update_item(self, block):
        block.save()
        self.store[block.scope_ids.usage_id] = block
        return block

    def unit(self, course):
        """An empty unit of ``course`` to paste into."""
        key = course.make_usage_key("vertical", f"unit_{uuid.uuid4().hex[:8]}")
        self.parents[key] = []
        return key

    # --- openedx/core/lib/xblock_serializer/block_serializer.py -----------------------------------

    def copy(self, block) -> str:
        """``XBlockSerializer(block).olx_str`` (with ``write_url_name`` and ``write_copied_from``)."""
        olx = self._serialize_normal_block(block)
        if "url_name" not in olx.attrib and hasattr(block, "url_name"):
            olx.attrib["url_name"] = block.url_name
        olx.attrib["copied_from_block"] = str(block.usage_key)
        if isinstance(block.usage_key.context_key, LibraryLocatorV2):
            olx.attrib["copied_from_version"] = str(block.runtime.get_component_version_from_block(block).version_num)
        return etree.tostring(olx, encoding="unicode", pretty_print=True)

    @staticmethod
    def _serialize_normal_block(block):
        olx_node = etree.Element("root")
        assert not block.has_children  # our blocks are leaves
        block.add_xml_to_node(olx_node)
        if "top_level_downstream_parent_key" in block.fields \
                and block.fields["top_level_downstream_parent_key"].is_set_on(block):
            olx_node.attrib["top_level_downstream_parent_key"] = _serialize_field(block.top_level_downstream_parent_key)
        return olx_node

    # --- cms/djangoapps/contentstore/helpers.py -----------------------------------------------------

    def paste(self, olx_str: str, parent_key):
        """``import_staged_content_from_user_clipboard`` for a leaf block: ``_import_xml_node_to_parent``."""
        node = etree.fromstring(olx_str)
        runtime = self.runtime
        block_type = node.tag
        node_copied_from = node.attrib.get("copied_from_block", None)
        node_copied_version = node.attrib.get("copied_from_version", None)
        # ``ImportIdGenerator``: a new usage key in the parent's course (split gives it its block id on save).
        usage_id = parent_key.context_key.make_usage_key(block_type, f"pasted_{uuid.uuid4().hex[:8]}")
        keys = ScopeIds(None, block_type, usage_id, usage_id)
        xblock_class = runtime.load_block_type(block_type)
        assert not xblock_class.has_children
        temp_xblock = xblock_class.parse_xml(node, runtime, keys)
        if node_copied_from:
            self._fetch_and_set_upstream_link(node_copied_from, node_copied_version, temp_xblock)
        new_xblock = self.update_item(temp_xblock)
        self.parents[parent_key].append(new_xblock.location)
        assert not hasattr(new_xblock, "studio_post_paste")
        return new_xblock

    def _fetch_and_set_upstream_link(self, copied_from_block, copied_from_version_num, temp_xblock):
        temp_xblock.upstream = copied_from_block
        try:
            upstream_link = self._upstream_link(temp_xblock)
        except ValueError:  # UpstreamLinkException
            source_descriptor = self.store[_usage_key(copied_from_block)]
            if source_descriptor.upstream:
                self._fetch_and_set_upstream_link(source_descriptor.upstream, source_descriptor.upstream_version,
                                                  temp_xblock)
            else:
                temp_xblock.upstream = None
                temp_xblock.copied_from_block = copied_from_block
        else:
            temp_xblock.upstream_version = copied_from_version_num
            if isinstance(upstream_link, LibraryUsageLocatorV2):
                # fetch_customizable_fields_from_block(downstream=temp_xblock, upstream=temp_xblock)
                for field_name, fetch_field_name in temp_xblock.get_customizable_fields().items():
                    if field_name in temp_xblock.fields and fetch_field_name is not None:
                        setattr(temp_xblock, fetch_field_name, getattr(temp_xblock, field_name))
                downstream_customized = getattr(temp_xblock, "downstream_customized", [])
                if hasattr(temp_xblock, "xml_attributes"):
                    downstream_customized = temp_xblock.xml_attributes.get("downstream_customized", [])
                temp_xblock.downstream_customized = downstream_customized

    def _upstream_link(self, downstream):
        """``UpstreamLink.get_for_block``: the library block the downstream is linked to, or ValueError."""
        if not downstream.upstream:
            raise ValueError("Content is not linked to a Content Library.")
        if not isinstance(downstream.usage_key.context_key, CourseKey):
            raise ValueError("Cannot update content because it does not belong to a course.")
        try:
            upstream_key = LibraryUsageLocatorV2.from_string(downstream.upstream)
        except InvalidKeyError as exc:
            raise ValueError("Reference to linked library item is malformed") from exc
        if upstream_key not in self.store:
            raise ValueError("Linked upstream library block was not found in the system")
        if downstream.usage_key.block_type != upstream_key.block_type:
            raise ValueError("Content type mismatch")
        return upstream_key


def _serialize_field(value) -> str:
    """xmodule/xml_block.py ``serialize_field`` for a string."""
    return value


def _usage_key(text: str):
    from opaque_keys.edx.keys import UsageKey

    return UsageKey.from_string(text)


BLOCKS = [("sse_quiz", studio_quiz_olx), ("sse_case_study", studio_case_olx), ("sse_profile", studio_profile_olx)]
OWN_FIELDS = {
    "sse_quiz": ("display_name", "dimension", "max_attempts", "questions"),
    "sse_case_study": ("display_name", "case", "prompt", "rubric", "reviews_required"),
    "sse_profile": ("display_name", "scope"),
}


def content_of(block) -> dict:
    return {name: getattr(block, name) for name in OWN_FIELDS[block.scope_ids.block_type] if name in block.fields}


def platform_settings_of(block) -> dict:
    return {name: getattr(block, name) for name in ("visible_to_staff_only", "group_access", "start", "due",
                                                     "graceperiod", "format", "graded")}


def without(olx: str, *names) -> bytes:
    node = etree.fromstring(olx)
    for name in names:
        node.attrib.pop(name, None)
    return etree.tostring(node)


@pytest.mark.parametrize("block_type, xml", BLOCKS)
def test_copy_writes_the_platforms_attributes_and_the_source(block_type, xml):
    studio = Studio()
    source = studio.author(xml(), SOURCE_COURSE.make_usage_key(block_type, "source_one"))
    node = etree.fromstring(studio.copy(source))
    assert node.tag == block_type and node.get("xblock-family") == "xblock.v1"
    assert node.get("url_name") == "source_one"
    assert node.get("copied_from_block") == str(source.location)
    assert node.get("copied_from_version") is None  # a course block has no version of its own
    for name, value in PLATFORM_ATTRS.items():
        assert node.get(name) == value, name


@pytest.mark.parametrize("block_type, xml", BLOCKS)
def test_paste_into_another_course_keeps_the_content_the_platform_settings_and_the_source(block_type, xml):
    studio = Studio()
    source = studio.author(xml(), SOURCE_COURSE.make_usage_key(block_type, "source_one"))
    unit = studio.unit(TARGET_COURSE)
    pasted = studio.paste(studio.copy(source), unit)
    assert studio.parents[unit] == [pasted.location] and pasted.location.context_key == TARGET_COURSE
    assert content_of(pasted) == content_of(source)
    assert platform_settings_of(pasted) == platform_settings_of(source)
    assert pasted.copied_from_block == str(source.location) and pasted.upstream is None
    # Attributes naming no field are kept as written; nothing of the clipboard's is.
    assert pasted.xml_attributes == {"hide_after_due": "true", "future_setting": "kept as written"}
    # A course export of the pasted block says where it came from, as the platform's own blocks do.
    exported = etree.Element("unknown")
    pasted.add_xml_to_node(exported)
    assert exported.get("copied_from_block") == str(source.location)


@pytest.mark.parametrize("block_type, xml", BLOCKS)
def test_a_second_copy_and_paste_is_stable(block_type, xml):
    studio = Studio()
    source = studio.author(xml(), SOURCE_COURSE.make_usage_key(block_type, "source_one"))
    first_copy = studio.copy(source)
    pasted = studio.paste(first_copy, studio.unit(TARGET_COURSE))
    second_copy = studio.copy(pasted)
    assert etree.fromstring(second_copy).get("copied_from_block") == str(pasted.location)
    assert without(second_copy, "copied_from_block", "url_name") == without(first_copy, "copied_from_block",
                                                                            "url_name")
    again = studio.paste(second_copy, studio.unit(SOURCE_COURSE))
    assert without(studio.copy(again), "copied_from_block", "url_name") == without(second_copy, "copied_from_block",
                                                                                   "url_name")
    assert again.copied_from_block == str(pasted.location) and content_of(again) == content_of(source)


@pytest.mark.parametrize("block_type, xml", BLOCKS)
def test_a_library_block_pasted_into_a_course_is_linked_to_its_version(block_type, xml):
    """From a v2 library the serializer adds ``copied_from_version``; the paste makes the library block the
    upstream at that version, with the fetched display name, and a later copy of the course block carries
    the link (``upstream*``) and no stale ``copied_from_version``."""
    studio = Studio()
    library_block = studio.author(xml(), LibraryUsageLocatorV2(LIBRARY, block_type, "lib_one"))
    copied = studio.copy(library_block)
    assert etree.fromstring(copied).get("copied_from_version") == str(LIBRARY_VERSION)
    pasted = studio.paste(copied, studio.unit(TARGET_COURSE))
    assert (pasted.upstream, pasted.upstream_version) == (str(library_block.usage_key), LIBRARY_VERSION)
    assert pasted.upstream_display_name == library_block.display_name
    # The attribute names a field Studio mixes in, so the parse sets it, as the platform's own parsers do.
    assert pasted.copied_from_block == str(library_block.usage_key)
    assert content_of(pasted) == content_of(library_block)
    assert "copied_from_version" not in pasted.xml_attributes

    node = etree.fromstring(studio.copy(pasted))
    assert node.get("copied_from_version") is None
    assert (node.get("upstream"), node.get("upstream_version")) == (str(library_block.usage_key), str(LIBRARY_VERSION))
    # Pasted again, the course copy keeps the library as its upstream (through its source's link).
    again = studio.paste(studio.copy(pasted), studio.unit(SOURCE_COURSE))
    assert (again.upstream, again.upstream_version) == (str(library_block.usage_key), LIBRARY_VERSION)


@pytest.mark.parametrize("block_type, xml", BLOCKS)
def test_a_block_of_an_imported_container_keeps_its_top_level_parent(block_type, xml):
    """A block created by importing a library container carries ``top_level_downstream_parent_key``; the
    serializer writes it and the paste sets it again."""
    studio = Studio()
    source = studio.author(xml(), SOURCE_COURSE.make_usage_key(block_type, "source_one"))
    source.top_level_downstream_parent_key = "vertical@unit_one"
    studio.update_item(source)
    copied = studio.copy(source)
    assert etree.fromstring(copied).get("top_level_downstream_parent_key") == "vertical@unit_one"
    pasted = studio.paste(copied, studio.unit(TARGET_COURSE))
    assert pasted.top_level_downstream_parent_key == "vertical@unit_one"
    assert "top_level_downstream_parent_key" not in pasted.xml_attributes
