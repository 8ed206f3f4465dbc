"""Plumbing shared by every SSE Academy block: rendering, JSON handlers, staff checks, CSV downloads."""

from __future__ import annotations

import functools
import itertools
import json
import logging

from django.db import transaction
from django.http import RawPostDataException
from webob import Response
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError

from .. import json_input, platform, resources, typed_numbers
from ..compat import Fragment
from ..i18n import BlockTranslator
from ..i18n import gettext_noop as _
from ..refusals import Refusal
from ..sanitize import csv_line
from ..transactions import Writes, bounded, is_database_failure

log = logging.getLogger(__name__)

MAX_BODY_BYTES = json_input.MAX_BODY_BYTES
READ_ONLY_MESSAGE = _("You are viewing this as a learner: nothing you do here is saved.")
SIGN_IN_MESSAGE = _("You are not signed in. Sign in and try again.")
STAFF_ONLY_MESSAGE = _("Only course staff can do this.")
COURSE_AUTHORS_MESSAGE = _("Only course authors can change this block.")
LIBRARY_AUTHORS_MESSAGE = _("Only authors of this library can change this component: your access to the library "
                            "lets you view it, not edit it.")
STUDIO_PREVIEW_MESSAGE = _("This is a preview: learner actions are not saved in Studio.")
LIBRARY_PREVIEW_MESSAGE = _("This is a preview of a library component: nothing you do here is saved. "
                            "Learners' work is saved once the component is used in a course.")
# A database error (down, read-only, a lock or statement time limit, a deadlock after the retries): HTTP 503.
NOTHING_SAVED_MESSAGE = _("The database is not available right now, and nothing was saved. "
                          "Please try again in a moment.")
PERHAPS_SAVED_MESSAGE = _("The database failed part way through: part of this may have been saved. "
                          "Reload the page to see what was kept before you try again.")


class HandlerError(JsonHandlerError):
    """A 4xx reply with a human message (already translated) and nothing changed, built by the gates below
    before a handler runs; handlers and domain code raise :class:`~sse_academy_xblock.refusals.Refusal`."""


def json_api(staff_only: bool = False, allow_author_mode: bool = False, authoring: bool = False,
             read_only_ok: bool = False, with_request: bool = False):
    """Decorate a handler that takes a JSON object and returns JSON.

    Every failure is a JSON ``{"error": message}`` reply with a 4xx status, and the handler is not run:
    a wrong method (405); a body not declared ``application/json`` (415, see
    :func:`sse_academy_xblock.json_input.check_content_type`: forms, multipart, ``text/plain`` and bodies
    without a type are refused before anything else, whoever sends them); a caller who is not a signed-in
    learner (403, below); a non-staff caller on a staff handler, a caller who may not author on an
    ``authoring`` handler (Studio editors' save; allowed in author mode), a preview (Studio's, or any view of a
    content library's component: :func:`sse_academy_xblock.platform.is_preview`) unless ``allow_author_mode``,
    staff viewing the course as a specific learner (nothing is written for the learner) unless the handler only
    reads (``read_only_ok``);
    a body that cannot be read (400) or that :func:`sse_academy_xblock.json_input.parse` refuses (not strict
    UTF-8 JSON, not an object, too large, NaN, out-of-range numbers, text that cannot be stored).

    Who may call: no handler answers an anonymous caller (the LMS's unauthenticated handler address runs
    any handler, without its access check, for a visitor). Every handler needs a signed-in learner
    (:func:`sse_academy_xblock.platform.is_authenticated_learner`), because each one writes, or reads the
    caller's own work, or returns cohort or staff data. The handlers that only read for the learner
    (``read_only_ok``: the case study's ``state``, the profile's ``refresh``) are no exception: the
    learner's state exists only for a learner, and the profile carries the cohort's medians. What anyone
    may see comes with the page (``student_view``), not from a handler. ``authoring`` handlers need a
    signed-in user who may author (:func:`sse_academy_xblock.platform.may_author`); Studio's editor save
    carries no learner id.

    A handler refuses by raising :class:`~sse_academy_xblock.refusals.Refusal` (its domain code too): the
    reply has the refusal's status and its message in the block's language. A database error anywhere
    (down, read-only, a time limit, a deadlock after the retries) is a JSON 503 that says whether
    anything was saved (:func:`database_guarded`).

    ``with_request``: the handler also receives the request (``request=``), for a platform call that
    needs where it came from.
    """
    if authoring:
        allow_author_mode = True

    def decorator(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            t = self.translator
            if request.method != "POST":
                return HandlerError(405, t.gettext("This address only accepts POST requests.")).get_response(
                    allow=["POST"]
                )
            return database_guarded(self, lambda: gated(self, request, suffix))

        def gated(self, request, suffix):
            t = self.translator
            try:
                json_input.check_content_type(request.environ.get("CONTENT_TYPE"))
            except Refusal as err:
                return HandlerError(err.status, err.translated(t.gettext)).get_response()
            signed_in = platform.is_signed_in(self) if authoring else platform.is_authenticated_learner(self)
            if not signed_in:
                return HandlerError(403, t.gettext(SIGN_IN_MESSAGE)).get_response()
            if staff_only and not platform.is_staff(self):
                return HandlerError(403, t.gettext(STAFF_ONLY_MESSAGE)).get_response()
            if authoring and not platform.may_author(self):
                return HandlerError(403, t.gettext(
                    LIBRARY_AUTHORS_MESSAGE if platform.is_library_context(self) else COURSE_AUTHORS_MESSAGE
                )).get_response()
            if not read_only_ok and platform.is_viewing_as_learner(self):
                return HandlerError(403, t.gettext(READ_ONLY_MESSAGE)).get_response()
            if platform.is_preview(self) and not allow_author_mode:
                return HandlerError(403, t.gettext(
                    LIBRARY_PREVIEW_MESSAGE if platform.is_library_context(self) else STUDIO_PREVIEW_MESSAGE
                )).get_response()
            if (request.content_length or 0) > MAX_BODY_BYTES:  # refused before the body is read
                return HandlerError(413, t.gettext(json_input.TOO_LARGE)).get_response()
            try:
                data = json_input.parse(read_body(request))
            except Refusal as err:
                return HandlerError(err.status, err.translated(t.gettext)).get_response()
            try:
                result = func(self, data, suffix, request=request) if with_request else func(self, data, suffix)
            except Refusal as err:
                details = err.details(t.gettext)
                if details:  # the faulty fields, each with its message, for the page to mark
                    return json_response({"error": err.translated(t.gettext), **details}, status=err.status)
                return HandlerError(err.status, err.translated(t.gettext)).get_response()
            if isinstance(result, Response):
                return result
            return json_response(result)

        wrapper.staff_only = staff_only
        return wrapper

    return decorator


def database_guarded(block, run):
    """``run()`` with bounded database waits (:func:`~sse_academy_xblock.transactions.bounded`); a
    database error becomes a JSON 503 with a message in the block's language that says whether anything
    was saved (:class:`~sse_academy_xblock.transactions.Writes`).

    Nothing committed: "nothing was saved" (``"saved": false``); the block's unsaved field values are
    forgotten, so the runtime's save after the handler writes none of them, and a transaction of the
    caller's that the handler runs in is marked for rollback. A write committed before the error:
    "part of this may have been saved" (``"saved": true``). A handler whose error comes after its
    own commit answers with what was stored itself (the quiz's submit does).
    """
    writes = Writes()
    try:
        with writes.watch(), bounded():
            response = run()
            block.save()  # what the runtime does after the handler, done here so that its failure is answered too
            return response
    except Exception as error:
        if not is_database_failure(error):
            raise
        log.warning("database error in a handler of %s: %r", type(block).__name__, error, exc_info=True)
        if not writes.committed:
            discard_changes(block, [field.name for field in list(getattr(block, "_dirty_fields", {}))])
            if transaction.get_connection().in_atomic_block:
                transaction.set_rollback(True)
        message = PERHAPS_SAVED_MESSAGE if writes.committed else NOTHING_SAVED_MESSAGE
        return json_response({"error": block.translator.gettext(message), "saved": writes.committed}, status=503)


def read_body(request) -> bytes:
    """The request's body, or a :class:`~sse_academy_xblock.refusals.Refusal` (400) when it cannot be read.

    The client may have gone away mid-body, or the web framework may have consumed the stream already: Django
    parses a form body into ``request.POST`` when its CSRF check or the LMS's file-size check looks at it,
    after which ``request.body`` raises instead of returning the bytes.
    """
    try:
        return request.body
    except (OSError, RawPostDataException):
        raise Refusal(json_input.UNREADABLE) from None


def csv_download(filename: str):
    """Decorate a staff handler that returns ``(header, rows)``: the rows are streamed as a CSV download.

    A caller who is not signed-in course staff gets the JSON ``{"error": message}`` reply with status 403,
    as from a ``json_api(staff_only=True)`` handler, and the handler is not run. Any method is accepted
    (the panels link to the download; nothing is written). A query parameter the handler refuses
    (:class:`~sse_academy_xblock.refusals.Refusal`) is a JSON 4xx with its message. A database error
    before the first row is the JSON 503 of :func:`database_guarded`.
    """

    def decorator(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):
            def download():
                if not (platform.is_authenticated_learner(self) and platform.is_staff(self)):
                    return HandlerError(403, self.translator.gettext(STAFF_ONLY_MESSAGE)).get_response()
                try:
                    header, rows = func(self, request, suffix)
                except Refusal as err:  # a query parameter the download cannot take: nothing is sent
                    return HandlerError(err.status, err.translated(self.translator.gettext)).get_response()
                # The first row is read here, so that a database that fails at once gets the JSON 503;
                # one that fails later cuts the download short (its headers are sent).
                rows = iter(rows)
                first = next(rows, None)
                return csv_response(filename, header, rows if first is None else itertools.chain([first], rows))

            return database_guarded(self, download)

        wrapper.csv_filename = filename
        return wrapper

    return decorator


def json_response(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json", charset="utf-8")


def safe_json(data) -> str:
    """JSON that can sit inside an HTML <script> element: no "<", ">" or "&" characters."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def editor_errors(summary: str, errors: list, **extra) -> Response:
    """A Studio editor's refused save: HTTP 400 with a summary and every error at once; nothing saved."""
    return json_response({"error": summary, "errors": errors, **extra}, status=400)


def number_echo(data, gettext) -> dict:
    """An editor's echo of a typed number: the number that will be saved, in the author's language
    (``{"value", "text", "message"}``); refused (400) when it is no number, or, with both readings, when it
    has two (see :mod:`sse_academy_xblock.typed_numbers`)."""
    reading = typed_numbers.echo(data)
    return {**reading, "message": gettext(typed_numbers.WILL_BE_SAVED) % {"number": reading["text"]}}


def csv_response(filename: str, header: list[str], rows) -> Response:
    """Stream a CSV download row by row, each line written by :func:`sse_academy_xblock.sanitize.csv_line`
    (every cell quoted, numbers as numbers, no cell a spreadsheet would run as a formula)."""

    def generate():
        yield "\ufeff".encode()
        yield csv_line(header).encode("utf-8")
        for row in rows:
            yield csv_line(row).encode("utf-8")

    response = Response(content_type="text/csv", charset="utf-8")
    response.app_iter = generate()
    response.content_disposition = f'attachment; filename="{filename}"'
    return response


class SSEBlockMixin:
    """Rendering, translation and the current user's identity for every block."""

    @property
    def translator(self) -> BlockTranslator:
        return BlockTranslator(self.runtime.service(self, "i18n"))

    def _(self, text: str) -> str:
        return self.translator.gettext(text)

    @property
    def anonymous_id(self) -> str | None:
        return platform.anonymous_user_id(self)

    @property
    def is_staff(self) -> bool:
        return platform.is_staff(self)

    @property
    def is_author_mode(self) -> bool:
        """A preview (Studio's, or a content library's: :func:`~sse_academy_xblock.platform.is_preview`): the
        block shows what it offers and writes nothing of a learner's."""
        return platform.is_preview(self)

    @property
    def in_library(self) -> bool:
        return platform.is_library_context(self)

    def publish_event(self, name: str, data: dict) -> bool:
        """Send a tracking event (listed in docs/events.md) to the platform's analytics; returns whether it
        was sent. Never from Studio's preview or for staff viewing the course as a learner: nothing done
        there is the learner's (the LMS would log it under the learner's name)."""
        if platform.is_read_only(self):
            return False
        self.runtime.publish(self, name, data)
        return True

    def render_fragment(
        self, template: str, context: dict, js_class: str | None = None, init_data: dict | None = None,
        css: tuple[str, ...] = ("css/sse.css",), js: tuple[str, ...] = (),
    ) -> Fragment:
        """A fragment with the template's HTML and our CSS and JS inlined.

        Inlining keeps the block independent of how a runtime serves package files (the XBlock
        runtimes serve only a ``public/`` folder by URL).
        """
        html = resources.render_template(template, context, self.translator)
        if js_class and init_data:
            # The init data travels as escaped JSON inside the fragment, not through the runtime's
            # wrapper: the workbench writes ``json_init_args`` into a <script> unescaped, so author
            # or learner text containing "</script>" would end the tag. Read with SSEAcademy.initArgs.
            html += f'<script type="application/json" class="sse-init">{safe_json(init_data)}</script>'
        frag = Fragment(html)
        for path in css:
            frag.add_css(resources.read_text("static", path))
        for path in ("js/sse-common.js", *js):
            frag.add_javascript(resources.read_text("static", path))
        if js_class:
            frag.initialize_js(js_class, {})
        return frag


def discard_changes(block, names) -> None:
    """Forget unsaved values of these fields, so the runtime's save after a handler writes none of them.

    Used when a transaction that wrote them was rolled back: the stored values are the truth again.
    """
    for name in names:
        field = block.fields[name]
        block._dirty_fields.pop(field, None)  # noqa: SLF001 - XBlock's own dirty-field bookkeeping
        block._field_data_cache.pop(name, None)  # noqa: SLF001


# Marked for extraction: used by several blocks' templates and replies.
COMMON_STRINGS = (
    _("Saving…"),
    _("Saved"),
    _("Something went wrong. Please try again."),
)
