"""Stored author HTML for the round-trip tests of the editors' markup: each item as a save (or nh3)
stores it, with the markup the editor shows for it, or None when the markup cannot write it back and
the editor shows the HTML itself; and what the conversion-time tests measure against."""

from __future__ import annotations

import time

from sse_academy_xblock import markup

REL = ' rel="noopener noreferrer nofollow"'


def link(href: str, text: str, extra: str = "") -> str:
    return f'<a href="{href}"{extra}{REL}>{text}</a>'


STORED = [
    # links the markup writes back
    (f"<p>{link('https://www.ilo.org', 'ILO')}</p>", "[ILO](https://www.ilo.org)"),
    (f"<p>{link('https://e.org/*a*', 'stars in the address')}</p>", "[stars in the address](https://e.org/*a*)"),
    (f"<p>{link('https://e.org/a_b_c', 'underscores')}</p>", "[underscores](https://e.org/a_b_c)"),
    (f"<p>{link('https://e.org/**x**/y', 'double stars')} and <em>text</em></p>",
     "[double stars](https://e.org/**x**/y) and *text*"),
    (f"<p>{link('https://e.org/?a=1&amp;b=2', 'query')}</p>", "[query](https://e.org/?a=1&b=2)"),
    (f"<p>{link('mailto:info@e.org', 'write to us')}</p>", "[write to us](mailto:info@e.org)"),
    (f"<p>{link('https://e.org/x]y', 'bracket')}</p>", "[bracket](https://e.org/x]y)"),
    (f"<p>{link('https://e.org', '<em>emphasis</em> in a link')} then text</p>",
     "[*emphasis* in a link](https://e.org) then text"),
    (f"<p>Before {link('https://e.org/*a*', 'x')} <em>after</em></p>", "Before [x](https://e.org/*a*) *after*"),
    ("<p>see https://e.org/*a*/b and https://e.org/**c**</p>", "see https://e.org/*a*/b and https://e.org/**c**"),
    ("<p>Quoi&nbsp;? Voilà.</p>", "Quoi\u00a0? Voilà."),
    # links and text it cannot write back: kept as HTML
    (f"<p>{link('https://en.wikipedia.org/wiki/Cooperative_(economics)', 'parentheses')}</p>", None),
    (f"<p>{link('https://e.org/(x', 'one parenthesis')}</p>", None),
    (f"<p>{link('https://e.org/a b', 'a space')}</p>", None),
    (f"<p>{link('https://e.org/&lt;x&gt;', 'angle brackets')}</p>", None),
    (f"<p>{link('/courses/x', 'relative')}</p>", None),
    (f"<p>{link('#part-2', 'anchor')}</p>", None),
    (f"<p>{link('HTTPS://E.ORG', 'capital scheme')}</p>", None),
    (f"<p><a{REL}>no address (another scheme, removed)</a></p>", None),
    ("<p>" + link("https://e.org", "titled", ' title="ILO"') + "</p>", None),
    ("<p>" + link("https://e.org", "in French", ' lang="fr"') + "</p>", None),
    (f"<p>{link('https://e.org', '[1]')}</p>", None),
    (f"<p>{link('https://e.org', '')}</p>", None),
    ('<p lang="fr">Bonjour</p>', None),
    ("<p>*not emphasis* written with stars</p>", None),
    ("<p>- not a list</p>", None),
    ("<p>1. not a list</p>", None),
    ("<p>&lt;b&gt; is how bold starts</p>", None),
    ("<p>&lt;</p>", None),
    ("<p>&lt; 3</p><p>more</p>", None),
    ("<p>a<em> b</em></p>", None),
    ("<p><em>a</em><strong>b</strong></p>", None),
    ("<ul><li>a<ul><li>nested</li></ul></li></ul>", None),
    ("<p>x</p><table><tbody><tr><td>1</td></tr></tbody></table>", None),
    # what the markup always wrote
    ("<p>A <em>b</em> <strong>c</strong><br>next line</p><ul><li>one</li><li>two</li></ul>",
     "A *b* **c**\nnext line\n\n- one\n- two"),
    ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
]


# An ordinary prompt: the conversion time of any text is compared with this one's at the same size.
PLAIN = "Some *emphasis*, **strong** words and a [link](https://www.ilo.org/x) in a sentence of a prompt.\n"


def sized(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def conversion_seconds(text: str, runs: int = 3) -> float:
    """The best of ``runs`` conversions of ``text`` to HTML, in seconds."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        markup.to_html(text)
        best = min(best, time.perf_counter() - start)
    return best
