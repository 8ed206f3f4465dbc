"""What a newcomer sees with `make run`: request lines in the console, and the blocks in their language."""

from __future__ import annotations

import http.cookiejar
import time
import urllib.request

import pytest

from workbench_server import serve_workbench

QUIZ_PAGE = "/scenario/sse_quiz.0/"


@pytest.fixture(scope="module")
def workbench():
    with serve_workbench() as bench:
        yield bench


def _browser():
    """A client with a cookie jar, like a browser tab; no proxy."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _get(opener, url: str, language: str = "en-US") -> str:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with opener.open(request, timeout=30) as response:
        return response.read().decode("utf-8")


def test_each_request_is_shown_in_the_console(workbench):
    _get(_browser(), workbench.url + QUIZ_PAGE + "?student=console_check")
    line = f'"GET {QUIZ_PAGE}?student=console_check HTTP/1.1" 200'
    # The server writes the line once the response is sent, so it may reach the file a moment later.
    deadline = time.monotonic() + 15
    console = workbench.console_text()
    while line not in console and time.monotonic() < deadline:
        time.sleep(0.2)
        console = workbench.console_text()
    assert line in console, console[-2000:]
    # Request lines, not the SQL statements of every request (nor warnings from loading the scenarios).
    assert "django.db.backends" not in console and "SELECT " not in console, console[-2000:]
    assert "does not contain field" not in console and "WARNING:" not in console.replace("WARNING: This is a development", ""), console[-2000:]


@pytest.mark.parametrize("lang, submit", [("fr", "Soumettre"), ("es", "Enviar")])
def test_lang_in_the_address_shows_the_blocks_in_that_language_and_keeps_it(workbench, lang, submit):
    browser = _browser()
    first = _get(browser, f"{workbench.url}{QUIZ_PAGE}?student=lang_{lang}&lang={lang}")
    assert submit in first and ">Submit<" not in first
    # The next page (and the handlers it calls) carry no ?lang=: the choice is kept, whatever the browser says.
    again = _get(browser, f"{workbench.url}{QUIZ_PAGE}?student=lang_{lang}", language="en-US")
    assert submit in again
    back = _get(browser, f"{workbench.url}{QUIZ_PAGE}?student=lang_{lang}&lang=en")
    assert ">Submit<" in back and submit not in back


def test_an_unknown_language_changes_nothing(workbench):
    page = _get(_browser(), f"{workbench.url}{QUIZ_PAGE}?student=lang_xx&lang=xx")
    assert ">Submit<" in page


def _open(opener, url: str):
    """``(final address, page)`` after any redirect."""
    request = urllib.request.Request(url, headers={"Accept-Language": "en-US"})
    with opener.open(request, timeout=60) as response:
        return response.geturl(), response.read().decode("utf-8")


def test_lang_on_a_module_page_shows_that_module_written_in_that_language(workbench):
    from html import unescape

    from sse_academy_xblock.blocks.profile import SSEProfileBlock
    from sse_academy_xblock.curriculum import loader

    titles = [title for title, _xml in SSEProfileBlock.workbench_scenarios()]
    english = titles.index("2. Employment through the lens of the SSE")
    french = titles.index("2. L'emploi vu par l'ESS [fr]")
    browser = _browser()
    address, page = _open(browser, f"{workbench.url}/scenario/sse_profile.{english}/?student=lang_module&lang=fr")
    assert f"/scenario/sse_profile.{french}/" in address and "student=lang_module" in address
    page = unescape(page)
    assert "2. L'emploi vu par l'ESS" in page and "Objectifs d'apprentissage" in page and "Soumettre" in page
    address, page = _open(browser, f"{workbench.url}/scenario/sse_profile.{french}/?student=lang_module&lang=en")
    assert f"/scenario/sse_profile.{english}/" in address
    assert "Employment through the lens of the SSE" in unescape(page)
    # Spanish too, from the English page or from the French one.
    assert "es" in loader.languages()
    spanish = titles.index("2. El empleo desde la perspectiva de la ESS [es]")
    for start in (english, french):
        address, page = _open(browser, f"{workbench.url}/scenario/sse_profile.{start}/?student=lang_module&lang=es")
        assert f"/scenario/sse_profile.{spanish}/" in address and "student=lang_module" in address
        page = unescape(page)
        assert "2. El empleo desde la perspectiva de la ESS" in page and "Objetivos de aprendizaje" in page
        assert "Enviar" in page
