"""Message catalogs: extract the strings learners and authors see, merge them into fr/es, compile.

``python -m sse_academy_xblock.i18n_tools extract`` refreshes ``translations/<lang>/LC_MESSAGES/text.po``
from the Python sources and the Django templates (keeping existing translations); ``... compile`` writes
the ``text.mo`` beside each, which ships in the package. That is where the platform's XBlock i18n service
looks for an installed XBlock's catalogs (domain ``text``, ``<package>/translations``), and where the
workbench's service and our own fallback read them too (see i18n.py). The ``.po`` files are the one source.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from .i18n import DOMAIN, TRANSLATIONS_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent
LANGUAGES = ("fr", "es")
KEYWORDS = {"_": None, "gettext": None, "gettext_noop": None, "gettext_lazy": None, "ngettext": (1, 2),
            "ngettext_noop": (1, 2), "pgettext": ((1, "c"), 2)}


def _template_dir() -> Path:
    shipped = PACKAGE_DIR / "templates"
    return shipped if shipped.is_dir() else SOURCE_ROOT / "templates"


def extract_messages() -> dict[str, tuple[str, str] | None]:
    """``{msgid: None}`` for singular strings and ``{msgid: (singular, plural)}`` for plurals."""
    from babel.messages.extract import extract_python
    from django.utils.translation.template import templatize

    found: dict = {}

    def add(messages):
        for _lineno, _func, message, _comments in messages:
            if isinstance(message, tuple):
                if message[0]:
                    found[message[0]] = message[:2] if len(message) > 1 and message[1] else None
            elif message:
                found.setdefault(message, None)

    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" in path.parts or "settings" in path.parts:
            continue
        with open(path, "rb") as handle:
            add(extract_python(handle, KEYWORDS, [], {}))
    for path in sorted(_template_dir().rglob("*.html")):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        # templatize keeps the markup's indentation, which Python's tokenizer rejects; each
        # translatable string stands on one line, so dropping leading whitespace changes none.
        code = "\n".join(line.lstrip() for line in code.splitlines())
        add(extract_python(io.BytesIO(code.encode("utf-8")), KEYWORDS, [], {}))
    return found


def catalog_path(lang: str, suffix: str = "po") -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.{suffix}"


def read_catalog(lang: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = catalog_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="sse-academy-xblock", domain=DOMAIN)
    with open(path, "rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def extract() -> None:
    """Merge the current source strings into every language's .po, keeping translations."""
    from babel.messages.pofile import write_po

    messages = extract_messages()
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        existing = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
        for msgid, plural in messages.items():
            old = existing.get(msgid)
            if old is None:
                catalog.add(plural if plural else msgid, string=("", "") if plural else "")
        for msgid in list(existing):
            if msgid not in messages:
                catalog.delete(existing[msgid].id)
        _set_header(catalog, lang)
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, omit_header=False)


LANGUAGE_NAMES = {"fr": "French", "es": "Spanish"}


def _set_header(catalog, lang: str) -> None:
    catalog.fuzzy = False
    catalog.project = "sse-academy-xblock"
    catalog.version = "0.1"
    catalog.copyright_holder = "SSE Academy XBlocks contributors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "SSE Academy XBlocks contributors"
    catalog.language_team = f"{LANGUAGE_NAMES.get(lang, lang)}"
    catalog.header_comment = (
        f"# {LANGUAGE_NAMES.get(lang, lang)} translations of the SSE Academy XBlocks.\n"
        "# Refreshed by `make translations`; translate the empty msgstr entries."
    )


def compile_catalogs() -> None:
    from babel.messages.mofile import write_mo

    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        catalog.fuzzy = False
        with open(catalog_path(lang, "mo"), "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "extract":
        import django
        from django.conf import settings

        if not settings.configured:
            settings.configure()
        django.setup()
        extract()
    elif command == "compile":
        compile_catalogs()
    else:
        print("usage: python -m sse_academy_xblock.i18n_tools extract|compile", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
