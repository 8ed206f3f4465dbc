"""The authors' markup: paragraphs, lists, emphasis and links become sanitised HTML, and back."""

from sse_academy_xblock import markup


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
