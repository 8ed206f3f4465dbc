"""The workbench scenario page served by `make run` shows the block and nothing of its answer key."""

import re

import pytest
from django.test import Client
from xblock.core import XBlock

from sse_academy_xblock.settings.workbench import OUR_BLOCKS


@pytest.fixture
def client(db):
    from workbench.scenarios import init_scenarios

    init_scenarios()
    return Client()


def test_quiz_page_does_not_print_fields_or_scenario_xml(client):
    response = client.get("/scenario/sse_quiz.0/?student=page_reader")
    assert response.status_code == 200
    page = response.content.decode()
    assert "sse-block" in page
    key_patterns = [r"""["']correct["']\s*:\s*(true|false|True|False)""", r'correct="true"', r"""["']accepted["']\s*:""",
                    r"""["']tolerance["']\s*:"""]
    for pattern in key_patterns:
        assert not re.search(pattern, page), f"an answer key reached the page ({pattern})"
    assert "<sse_quiz" not in page and "&lt;sse_quiz" not in page, "the scenario OLX reached the page"
    assert "Signed in as <strong>page_reader</strong>" in page


def test_index_links_every_scenario_of_ours(client):
    page = client.get("/").content.decode()
    count = sum(len(cls.workbench_scenarios()) for name, cls in XBlock.load_classes() if name in OUR_BLOCKS)
    assert page.count('href="/scenario/') == count
