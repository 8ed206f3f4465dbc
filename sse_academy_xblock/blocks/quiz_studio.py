"""The quiz's Studio editor and ``validate()`` warnings.

The editor sends the settings and every question in one request; it is checked as a whole and saved
all or nothing, with every error reported. Authors write prompts, choices, feedback and explanations in
the small markup of :mod:`sse_academy_xblock.markup`; the block stores sanitised HTML.
"""

from __future__ import annotations

import hashlib

from django.utils.html import format_html
from xblock.validation import ValidationMessage

from .. import dimensions, l10n, markup, platform, typed_numbers
from ..compat import Fragment
from ..quiz.questions import dump_questions, registry_for_js
from ..quiz import authoring, pools
from .mixins import editor_errors, json_api, number_echo


class QuizStudioMixin:
    """Studio authoring for :class:`~sse_academy_xblock.blocks.quiz.SSEQuizBlock`."""

    def studio_view(self, context=None):
        t = self.translator
        if not platform.may_author(self):
            # Only the workbench lets a learner reach this view; the editor would show them the key.
            return Fragment(format_html('<p class="sse-error">{}</p>', t.gettext("Only course staff can do this.")))
        registry = registry_for_js(t.gettext)
        dims = dimensions.choices(t.gettext)
        init = {"questions": questions_as_markup(self.questions), "pools": list(self.pools), "registry": registry,
                "dimensions": dims, "strings": studio_strings(t)}
        context = {
            "markup_help": t.gettext(markup.HELP),
            "languages": l10n.language_choices(),
            "prefix": "sseqs-" + hashlib.sha1(platform.usage_id(self).encode()).hexdigest()[:10],
            "settings": {**self.authored_settings(), "pass_mark": typed_numbers.written(self.pass_mark, extra_places=1),
                         "weight": None if self.weight is None else typed_numbers.written(self.weight, extra_places=1)},
            "registry": registry,
            "dimensions": dims,
        }
        return self.render_fragment(
            "quiz/studio.html", context, "SSEQuizStudio", init,
            css=("css/sse.css", "css/quiz.css"), js=("js/sse-editor.js", "js/quiz-studio.js"),
        )

    @json_api(authoring=True)
    def studio_read_number(self, data, suffix=""):
        """The editor's echo: the number a typed ``text`` will be saved as, in the author's language."""
        return number_echo(data, self.translator.gettext)

    @json_api(authoring=True)
    def studio_submit(self, data, suffix=""):
        """Save the editor's settings and questions, all or nothing, reporting every error.

        Who may call it: see :func:`sse_academy_xblock.platform.may_author`.
        """
        fields: list[str] = []
        doubts: list[dict] = []  # numbers with two readings ("1.895"): the editor asks which was meant
        data = {"content_language": self.content_language, **data,
                "questions": editor_markup_to_html(data.get("questions"))}
        settings, question_list, errors = authoring.validate_studio_payload(
            data, self.translator.gettext, fields, doubts)
        if errors:
            return editor_errors(self.translator.gettext("The quiz was not saved."), errors, fields=fields,
                                 ambiguous=doubts)
        self.keep_settings(settings)
        self.questions = dump_questions(question_list)
        return {"saved": True, "warnings": self._warnings()}

    def _warnings(self) -> list[str]:
        return authoring.content_warnings(self.question_list(), self.pass_mark, self.translator.gettext)

    def validate(self):
        result = super().validate()
        # Saved pools are valid when saved; a later change elsewhere (the quiz's dimension) can make a draw's
        # points differ between learners, which Studio then shows as an error to fix in the editor.
        errors = [*authoring.content_errors(self.question_list(), self.translator.gettext),
                  *pools.pool_problems(self.pool_list(), self.question_list(), self.dimension, self.translator.gettext)]
        for message in errors:
            result.add(ValidationMessage(ValidationMessage.ERROR, message))
        for message in self._warnings():
            result.add(ValidationMessage(ValidationMessage.WARNING, message))
        return result


# The question parts authors write as text with the small markup of :mod:`sse_academy_xblock.markup`.
_MARKUP_PARTS = ("prompt", "explanation")
_MARKUP_CHOICE_PARTS = ("text", "feedback")


def _convert_questions(raw, convert, inline=None, limited=None):
    """The questions with their markup parts converted; ``limited`` (if given) converts the parts that
    have a length limit (the prompt and the explanation)."""
    inline = inline or convert
    limited = limited or convert
    if not isinstance(raw, list):
        return raw
    result = []
    for question in raw:
        if not isinstance(question, dict):
            result.append(question)
            continue
        question = dict(question)
        for part in _MARKUP_PARTS:
            if isinstance(question.get(part), str):
                question[part] = limited(question[part])
        if isinstance(question.get("choices"), list):
            question["choices"] = [
                {**c, **{k: (inline if k == "text" else convert)(c[k])
                         for k in _MARKUP_CHOICE_PARTS if isinstance(c.get(k), str)}}
                if isinstance(c, dict) else c for c in question["choices"]]
        result.append(question)
    return result


def questions_as_markup(stored: list) -> list:
    """The stored questions with their HTML parts as the editor's markup (HTML it cannot express stays)."""
    return _convert_questions(stored, markup.from_html)


def editor_markup_to_html(raw):
    """The editor's questions with their markup parts turned into sanitised HTML (a prompt or an explanation
    over the length limit is left as it is, unconverted, and refused by the validation)."""
    return _convert_questions(raw, markup.to_html, markup.to_inline_html,
                              markup.within(authoring.MAX_HTML, markup.to_html))


def studio_strings(t) -> dict:
    return {
        "saving": t.gettext("Saving…"),
        "saved": t.gettext("Saved"),
        "save_failed": t.gettext("The quiz was not saved."),
        "add_question": t.gettext("Add a question"),
        "add_choice": t.gettext("Add a choice"),
        "delete": t.gettext("Delete"),
        "move_up": t.gettext("Move up"),
        "move_down": t.gettext("Move down"),
        "move_question_up": t.gettext("Move up question %(question)s"),
        "move_question_down": t.gettext("Move down question %(question)s"),
        "delete_question": t.gettext("Delete question %(question)s"),
        "move_choice_up": t.gettext("Move up choice %(choice)s of question %(question)s"),
        "move_choice_down": t.gettext("Move down choice %(choice)s of question %(question)s"),
        "delete_choice": t.gettext("Delete choice %(choice)s of question %(question)s"),
        "undo": t.gettext("Undo"),
        "question_deleted": t.gettext("Question %(question)s deleted."),
        "choice_deleted": t.gettext("Choice %(choice)s of question %(question)s deleted."),
        "undo_question": t.gettext("Undo: put question %(question)s back"),
        "undo_choice": t.gettext("Undo: put choice %(choice)s of question %(question)s back"),
        "question": t.gettext("Question %(number)s"),
        "choice": t.gettext("Choice %(number)s"),
        "id": t.gettext("Id"),
        "type": t.gettext("Type"),
        "prompt": t.gettext("Prompt"),
        "points": t.gettext("Points"),
        "dimension": t.gettext("Dimension"),
        "quiz_dimension": t.gettext("Same as the quiz"),
        "text": t.gettext("Text"),
        "correct": t.gettext("Correct"),
        "feedback": t.gettext("Feedback shown when chosen"),
        "answer_number": t.gettext("Correct number"),
        "tolerance": t.gettext("Tolerance (plus or minus)"),
        "accepted": t.gettext("Accepted answers, one per line"),
        "truefalse_answer": t.gettext("The statement is"),
        "true": t.gettext("True"),
        "false": t.gettext("False"),
        "explanation": t.gettext("Explanation shown with the answer"),
        "no_questions": t.gettext("No questions yet."),
        "warnings": t.gettext("Saved, with warnings:"),
        "fix_errors": t.gettext("The quiz was not saved. Correct these fields:"),
        "meant_number": t.gettext("I meant %(number)s"),
        "pool": t.gettext("Pool"),
        "no_pool": t.gettext("None: always asked"),
        "pool_named": t.gettext("Pool “%(pool)s”"),
        "pool_number": t.gettext("Pool %(number)s"),
        "pool_id": t.gettext("Pool id"),
        "pool_draw": t.gettext("Questions each learner is asked"),
        "pool_balanced": t.gettext("Balanced per Decent Work dimension"),
        "pool_size": t.gettext("Questions in this pool: %(count)s"),
        "delete_pool": t.gettext("Delete pool %(number)s"),
    }
