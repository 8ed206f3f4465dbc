"""The authors' markup: paragraphs, lists, emphasis and links become sanitised HTML, and back."""

import pytest

from markup_corpus import PLAIN, STORED, conversion_seconds, sized
from sse_academy_xblock import markup
from sse_academy_xblock.sanitize import clean_author_html


def test_markup_becomes_sanitised_html():
    html = markup.to_html("  A *b* **c**\n  next line\n\n  - one\n  - two\n\n1. first\n2. [ILO](https://www.ilo.org)")
    assert html == ('<p>A <em>b</em> <strong>c</strong><br>next line</p><ul><li>one</li><li>two</li></ul>'
                    '<ol><li>first</li><li><a href="https://www.ilo.org" rel="noopener noreferrer nofollow">ILO</a>'
                    '</li></ol>')


def test_nothing_typed_becomes_markup_it_was_not():
    assert markup.to_html('<img src=x onerror=alert(1)> & [x](javascript:alert(1))') == \
        '<img src="x"> &amp; [x](javascript:alert(1))'           # legacy HTML: sanitised by nh3
    assert markup.to_html('Tom & "Jerry" <b>') == "<p>Tom &amp; \"Jerry\" &lt;b&gt;</p>"
    assert markup.to_html("5 * 3 * 2") == "<p>5 * 3 * 2</p>"


def test_stored_html_comes_back_as_markup_unless_it_uses_more():
    assert markup.from_html("<p>The\n      case</p>\n<ul><li><em>a</em></li></ul>") == "The case\n\n- *a*"
    table = "<p>x</p><table><tr><td>1</td></tr></table>"
    assert markup.from_html(table) == table
    for text in ("A **b**\n\n- c\n- [d](https://e.org)", "1. x\n2. y", "plain"):
        assert markup.from_html(markup.to_html(text)) == text


def test_a_one_line_part_has_no_paragraph():
    assert markup.to_inline_html("**Yes**") == "<strong>Yes</strong>"


# --- links: emphasis never inside an address; what the markup cannot write back stays HTML ----------


def test_emphasis_is_never_applied_inside_an_address():
    assert markup.to_html("[x](https://e.org/*a*) and *b*") == (
        '<p><a href="https://e.org/*a*" rel="noopener noreferrer nofollow">x</a> and <em>b</em></p>')
    assert markup.to_html("[x](https://e.org/**a**/b_c)") == (
        '<p><a href="https://e.org/**a**/b_c" rel="noopener noreferrer nofollow">x</a></p>')
    assert markup.to_html("see https://e.org/*a*/b, *then*") == "<p>see https://e.org/*a*/b, <em>then</em></p>"


@pytest.mark.parametrize("stored,shown", STORED, ids=[f"stored-{i}" for i in range(len(STORED))])
def test_a_save_of_the_editor_gives_back_the_stored_html(stored, shown):
    """What the editor shows for stored HTML, saved unchanged, is the stored HTML again."""
    assert clean_author_html(stored) == stored, "the corpus holds HTML as it is stored"
    edited = markup.from_html(stored)
    assert edited == (stored if shown is None else shown)
    assert markup.to_html(edited) == stored


@pytest.mark.parametrize("stored", ["Which one is the <b>key</b>?", "Tom &amp; Jerry <em>run</em>",
                                    'Text <span lang="fr">en français</span>', "*stars* &lt;b&gt;"])
def test_html_imported_without_a_paragraph_is_kept(stored):
    """OLX stores a prompt's mixed content as it is: not a paragraph, and not starting with "<"."""
    saved = markup.to_html(markup.from_html(stored))
    assert saved in (clean_author_html(stored), f"<p>{clean_author_html(stored)}</p>".replace("<b>", "<strong>")
                     .replace("</b>", "</strong>")), saved


# --- time: in proportion to the text, whatever it holds --------------------------------------------

SIZES = (16 * 1024, 64 * 1024, 256 * 1024)
ADVERSARIAL = ["**x ", "*", "**", "*a ", "a**", "[", "[a](", "[a](http://x", "[x](https://e.org/*a*) ", "](",
               "http://*", "https://e.org/**", "- **x\n", "1. *x\n", "* ", "\n\n", " "]
RATIO = 10


@pytest.mark.parametrize("size", SIZES, ids=[f"{s // 1024}KB" for s in SIZES])
def test_conversion_takes_time_in_proportion_to_the_text(size):
    """No text takes much longer than an ordinary prompt of the same size: a ratio, so a slow machine passes."""
    plain = max(conversion_seconds(sized(PLAIN, size)), 0.001)
    slow = {unit: round(conversion_seconds(sized(unit, size)) / plain, 1) for unit in ADVERSARIAL}
    assert max(slow.values()) <= RATIO, slow
