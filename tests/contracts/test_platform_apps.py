"""The platform's packaged apps run in our test settings, on the same database as our tables.

edx-completion, edx-when and openedx-events are the platform's own code, published on the package index;
the contract tests use them instead of replaying them. These tests only say that each is installed,
migrated and usable here; what our blocks do with them is in the contract tests that use them.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from opaque_keys.edx.keys import CourseKey

UTC = datetime.timezone.utc
COURSE = CourseKey.from_string("course-v1:SSE+Workbench+local")
QUIZ = COURSE.make_usage_key("sse_quiz", "quiz_one")


@pytest.fixture
def learners(db):
    make = get_user_model().objects.create
    return make(username="amina"), make(username="bruno")


def test_edx_when_gives_one_learner_an_extension_and_the_others_the_course_date(learners):
    """edx-when's tables migrate here, and its field data personalises ``due`` per learner, as the LMS
    binds it to every block (``DateLookupFieldData`` in edx_when/field_data.py)."""
    from edx_when import api
    from edx_when.field_data import DateLookupFieldData
    from xblock.field_data import DictFieldData

    amina, bruno = learners
    due = datetime.datetime(2030, 2, 1, 12, tzinfo=UTC)
    api.set_dates_for_course(COURSE, [(QUIZ, {"due": due})])
    api.set_date_for_block(COURSE, QUIZ, "due", due + datetime.timedelta(days=7), user=amina, reason="extension")
    block = SimpleNamespace(location=QUIZ, get_parent=lambda: None)
    authored = DictFieldData({})
    assert DateLookupFieldData(authored, course_id=COURSE, user=amina, use_cached=False).get(block, "due") == (
        due + datetime.timedelta(days=7))
    assert DateLookupFieldData(authored, course_id=COURSE, user=bruno, use_cached=False).get(block, "due") == due


def test_edx_completion_is_migrated_and_its_switch_is_off_until_turned_on(learners):
    from completion import waffle as completion_waffle
    from completion.models import BlockCompletion
    from edx_django_utils.cache import RequestCache
    from waffle.testutils import override_switch

    amina, _bruno = learners
    switch = completion_waffle.ENABLE_COMPLETION_TRACKING_SWITCH
    RequestCache.clear_all_namespaces()  # edx-toggles keeps a switch's value for the request
    assert not switch.is_enabled()
    with override_switch(switch.name, active=True):
        RequestCache.clear_all_namespaces()
        assert switch.is_enabled()
    RequestCache.clear_all_namespaces()
    assert not BlockCompletion.objects.filter(user=amina).exists()


def test_openedx_events_defines_the_platforms_public_signals():
    from openedx_events.content_authoring.signals import XBLOCK_PUBLISHED
    from openedx_events.learning.signals import PERSISTENT_GRADE_SUMMARY_CHANGED

    assert XBLOCK_PUBLISHED.event_type == "org.openedx.content_authoring.xblock.published.v1"
    assert PERSISTENT_GRADE_SUMMARY_CHANGED.event_type == "org.openedx.learning.course.persistent_grade_summary.changed.v1"
