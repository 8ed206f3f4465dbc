"""What authors write, checked: the Studio editor's payload, the questions OLX import and Studio save
refuse (an empty prompt, a choice question without a correct choice, a choice without text...), and
the warnings ``validate()`` shows in Studio (content that works but gives the answer away...).

Each function collects every problem (as translated, human sentences naming the question) instead
of stopping at the first, so the caller can refuse the whole request and change nothing.
``_`` is the caller's gettext.
"""

from __future__ import annotations

import math
from decimal import Decimal
import re
import unicodedata

from .. import dimensions, json_input, typed_numbers
from ..dimensions import DEFAULT_DIMENSION
from ..i18n import gettext_noop
from ..l10n import CONTENT_LANGUAGE_CODES
from ..olx import format_number
from ..sanitize import author_text
from .pools import Pool, dump_pools, grouped, pool_problems
from .questions import (
    ID_PATTERN,
    MAX_CHOICES,
    MAX_QUESTIONS,
    MAX_TEXT_ANSWER,
    QUESTION_TYPES,
    SCORING_POLICIES,
    SHOW_ANSWER_POLICIES,
    Choice,
    Question,
    question_label,
)

# Names of a question's text parts, as the author sees them in error messages.
PART_NAMES = {"id": gettext_noop("id"), "prompt": gettext_noop("prompt"), "explanation": gettext_noop("explanation")}
MAX_HTML = 20_000
MAX_DISPLAY_NAME = 200
MAX_ATTEMPTS_LIMIT = 1000


def _number(value) -> float | None:
    """A finite float from a JSON number or ASCII decimal text ("2.5", "-3", "1e3"), else None.

    Only ASCII digits count: Python's ``float`` would also take "１８９５", "1_000" and "infinity".
    """
    return json_input.decimal(value)


class _Typed:
    """Numbers the author typed in the editor, read as :mod:`sse_academy_xblock.typed_numbers` reads them.

    A text with two readings ("1.895") is never guessed: its question is added to the field's problems, kept
    in ``doubts`` for the reply (both readings, for the editor to offer), and :data:`DOUBT` is returned so
    that the caller adds no second, false, message. The editor resends with ``"meant"`` naming the choice.
    """

    DOUBT = object()

    def __init__(self, payload, gettext):
        self.meant = typed_numbers.meant_of(payload)
        self.gettext = gettext
        self.doubts: list[dict] = []

    def __call__(self, value, problems: list):
        try:
            return typed_numbers.read(value, self.meant)
        except typed_numbers.Ambiguous as doubt:
            problems.append(doubt.translated(self.gettext))
            self.doubts.append(doubt.as_json(self.gettext))
            return self.DOUBT


# --- stored content (shared by OLX import, Studio save and validate()) ----------------------------


def question_problems(question: Question, _) -> list[str]:
    """What makes a question unusable; OLX import and Studio save both refuse these."""
    problems: list[str] = []
    if not ID_PATTERN.match(question.id or ""):
        problems.append(_("the id must be 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit."))
    if question.type not in QUESTION_TYPES:
        problems.append(_('"%(type)s" is not a question type.') % {"type": question.type})
        return problems
    if not (isinstance(question.points, (int, float)) and math.isfinite(question.points) and question.points > 0):
        problems.append(_("the points must be a number greater than 0."))
    if question.dimension is not None and not dimensions.is_dimension(question.dimension):
        problems.append(_('"%(value)s" is not a Decent Work dimension.') % {"value": question.dimension})
    if question.objective is not None and not ID_PATTERN.match(question.objective):
        problems.append(_("the learning objective must be named by its id: 1 to 64 letters, digits, '-', '_' or '.'."))
    if not _has_text(question.prompt):
        # learners would read "Question 3 (1 point)" above an empty box
        problems.append(_("the prompt is empty."))
    if QUESTION_TYPES[question.type].has_choices:
        problems.extend(_choice_problems(question, _))
    elif question.choices:
        problems.append(_("only single and multiple choice questions have choices."))
    if question.type == "numeric":
        if not isinstance(question.answer, float) or not math.isfinite(question.answer):
            problems.append(_("a number question needs the correct number."))
        if not math.isfinite(question.tolerance) or question.tolerance < 0:
            problems.append(_("the tolerance must be a number of at least 0."))
    if question.type == "truefalse" and not isinstance(question.answer, bool):
        problems.append(_("a true or false question needs its answer (true or false)."))
    if question.type == "text":
        if not [a for a in question.accepted if a.strip()]:
            problems.append(_("a text question needs at least one accepted answer."))
        if any(len(a) > MAX_TEXT_ANSWER for a in question.accepted):
            problems.append(_("an accepted answer is longer than %(limit)s characters.") % {"limit": MAX_TEXT_ANSWER})
    for name, value in (("prompt", question.prompt), ("explanation", question.explanation)):
        if len(value) > MAX_HTML:
            problems.append(_("the %(part)s is too long.") % {"part": _(PART_NAMES.get(name, name))})
    return problems


def _choice_problems(question: Question, _) -> list[str]:
    problems = []
    if len(question.choices) < 2:
        problems.append(_("a choice question needs at least two choices."))
    if len(question.choices) > MAX_CHOICES:
        problems.append(_("a question can have at most %(limit)s choices.") % {"limit": MAX_CHOICES})
    ids = [c.id for c in question.choices]
    if any(not ID_PATTERN.match(i or "") for i in ids):
        problems.append(_("every choice needs an id of letters, digits, '-', '_' or '.'."))
    if len(set(ids)) != len(ids):
        problems.append(_("two choices have the same id."))
    if question.type == "single" and len(question.correct_choice_ids()) != 1:
        problems.append(_("a single choice question needs exactly one correct choice."))
    if question.type == "multiple" and not question.correct_choice_ids():
        problems.append(_("a multiple choice question needs at least one correct choice."))
    if any(not _has_text(c.text) for c in question.choices):
        problems.append(_("every choice needs a text."))
    return problems


def content_errors(questions: list[Question], _) -> list[str]:
    """What a save or an import refuses, found in stored questions (content saved before a rule existed):
    ``validate()`` shows these in Studio as errors, not as warnings."""
    return [f"{question_label(_, number)}: {problem}"
            for number, q in enumerate(questions, start=1) for problem in question_problems(q, _)]


def content_warnings(questions: list[Question], pass_mark, _) -> list[str]:
    """What an author should fix, shown by ``validate()`` in Studio (the quiz still works)."""
    warnings: list[str] = []
    seen: set[str] = set()
    for number, q in enumerate(questions, start=1):
        label = question_label(_, number)
        if q.id in seen:
            warnings.append(_('%(question)s: the id "%(id)s" is used by another question.') % {"question": label, "id": q.id})
        seen.add(q.id)
        for revealing in revealing_ids(q):
            warnings.append(_('%(question)s: the id "%(id)s" gives the answer away: learners can read ids in the '
                              'page. Use neutral ids such as q1, or a, b, c for choices.')
                            % {"question": label, "id": revealing})
    number = _number(pass_mark)
    if number is None or not 0 <= number <= 100:
        warnings.append(_("The pass mark must be a percentage from 0 to 100."))
    if not questions:
        warnings.append(_("The quiz has no questions yet."))
    return warnings


# Words that say whether a choice is right; an id made of them tells learners the answer.
TELLING_WORDS = frozenset({"correct", "incorrect", "right", "wrong", "true", "false", "yes", "no", "answer",
                           "good", "bad", "ok", "valid", "invalid"})


def _letters_digits(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


def _reveals(identifier: str, secret: str) -> bool:
    """Whether an id spells out a secret (case, accents and punctuation aside)."""
    ident, key = _letters_digits(identifier), _letters_digits(secret)
    return bool(key) and (ident == key or (len(key) >= 3 and key in ident))


def revealing_ids(question: Question) -> list[str]:
    """The ids of a question (its own and its choices') that tell a learner reading the page the answer:
    an id equal to an accepted text answer or to the number key, a question id equal to its correct
    choice's id, or ids made of words such as "correct", "right" or "wrong"."""
    found: list[str] = []

    def add(identifier):
        if identifier and identifier not in found:
            found.append(identifier)

    qid = question.id or ""
    if question.type == "text" and any(_reveals(qid, a) for a in question.accepted):
        add(qid)
    if question.type == "numeric" and isinstance(question.answer, float) and math.isfinite(question.answer):
        if _reveals(qid, format_number(question.answer)):
            add(qid)
    correct = set(question.correct_choice_ids()) if question.choices else set()
    if any(_letters_digits(qid) == _letters_digits(cid) for cid in correct):
        add(qid)
    for identifier in [qid, *(c.id for c in question.choices)]:
        words = set(re.split(r"[^a-z]+", (identifier or "").lower())) - {""}
        if words & TELLING_WORDS:
            add(identifier)
    return found


def _has_text(html: str) -> bool:
    return bool(author_text(html)) or "<img" in (html or "")


# --- the Studio editor's payload --------------------------------------------------------------


def validate_studio_payload(payload: dict, _, fields: list | None = None,
                            doubts: list | None = None) -> tuple[dict, list[Question], list[str]]:
    """Settings and questions from the Studio editor, or every error found in them.

    ``fields``, when given, receives for each error the editor field it is about (a setting's name,
    ``question-N``, or ``""``), so that the editor can mark it. ``doubts``, when given, receives each typed
    number with two readings (see :class:`_Typed`); each is also one of the errors.
    """
    typed = _Typed(payload, _)
    errors: list[str] = []
    settings: dict = {}
    where: list[str] = []

    def tag(key: str) -> None:
        where.extend([key] * (len(errors) - len(where)))

    name = payload.get("display_name")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_DISPLAY_NAME:
        errors.append(_("The display name must be 1 to %(limit)s characters.") % {"limit": MAX_DISPLAY_NAME})
    else:
        settings["display_name"] = name.strip()

    tag("display_name")

    dim = payload.get("dimension")
    if not dimensions.is_dimension(dim):
        errors.append(_("Choose the quiz's Decent Work dimension."))
    else:
        settings["dimension"] = dim

    tag("dimension")

    weight = payload.get("weight")
    if weight is None or (isinstance(weight, str) and not weight.strip()):
        settings["weight"] = None
    else:
        number = typed(weight, errors)
        if number is typed.DOUBT:
            pass
        elif number is None or number < 0:
            errors.append(_("The weight must be a number of at least 0, or empty."))
        else:
            settings["weight"] = number

    tag("weight")

    raw_attempts = payload.get("max_attempts")
    attempts = None
    if raw_attempts is None or (isinstance(raw_attempts, str) and not raw_attempts.strip()):
        settings["max_attempts"] = None  # empty: the course's setting
    elif (attempts := typed(raw_attempts, errors)) is typed.DOUBT:
        pass
    elif attempts is None or attempts != int(attempts) or not 0 <= attempts <= MAX_ATTEMPTS_LIMIT:
        errors.append(_("Maximum attempts must be a whole number from 0 (unlimited) to %(limit)s, or empty.")
                      % {"limit": MAX_ATTEMPTS_LIMIT})
    else:
        settings["max_attempts"] = int(attempts)

    tag("max_attempts")

    for key, allowed, message in (
        ("show_answer", SHOW_ANSWER_POLICIES, _("Choose when answers are shown.")),
        ("multiple_scoring", SCORING_POLICIES, _("Choose how multiple choice questions are scored.")),
    ):
        if not isinstance(payload.get(key), str) or payload[key] not in allowed:
            errors.append(message)
        else:
            settings[key] = payload[key]
        tag(key)

    if not isinstance(payload.get("shuffle"), bool):
        errors.append(_("Shuffle choices must be on or off."))
    else:
        settings["shuffle"] = payload["shuffle"]

    tag("shuffle")

    language = payload.get("content_language", "en")
    if language not in CONTENT_LANGUAGE_CODES:
        errors.append(_("Choose the language of the quiz's text."))
    else:
        settings["content_language"] = language
    tag("content_language")

    retry = payload.get("retry_after_full", False)
    if not isinstance(retry, bool):
        errors.append(_("Attempts after a full score must be allowed or not."))
    else:
        settings["retry_after_full"] = retry

    tag("retry_after_full")

    redraw = payload.get("redraw", False)
    if not isinstance(redraw, bool):
        errors.append(_("A new draw per attempt must be on or off."))
    else:
        settings["redraw"] = redraw
    tag("redraw")

    pool_list = _pools_from_editor(payload.get("pools", []), _, typed, errors)
    tag("pools")

    mark = typed(payload.get("pass_mark"), errors)
    if mark is typed.DOUBT:
        pass
    elif mark is None or not 0 <= mark <= 100:
        errors.append(_("The pass mark must be a percentage from 0 to 100."))
    else:
        settings["pass_mark"] = int(mark) if mark == int(mark) else mark

    tag("pass_mark")

    questions: list[Question] = []
    raw_questions = payload.get("questions")
    if not isinstance(raw_questions, list):
        errors.append(_("The questions are missing."))
        raw_questions = []
    elif len(raw_questions) > MAX_QUESTIONS:
        errors.append(_("A quiz can have at most %(limit)s questions.") % {"limit": MAX_QUESTIONS})
    tag("")
    seen: set[str] = set()
    for number, raw in enumerate(raw_questions, start=1):
        question, problems = _question_from_editor(raw, _, typed)
        if question is not None:
            if question.id in seen:
                problems.append(_('the id "%(id)s" is used by another question.') % {"id": question.id})
            seen.add(question.id)
            problems.extend(question_problems(question, _))
            questions.append(question)
        errors.extend(f"{question_label(_, number)}: {p}" for p in problems)
        tag(f"question-{number}")
    tag("")
    if pool_list is not None:
        errors.extend(pool_problems(pool_list, questions, settings.get("dimension", DEFAULT_DIMENSION), _))
        settings["pools"] = dump_pools(pool_list)
        questions = grouped(questions)
    tag("pools")
    if fields is not None:
        fields.extend(where)
    if doubts is not None:
        doubts.extend(typed.doubts)
    return settings, questions, errors


def _pools_from_editor(raw, _, typed: _Typed, errors: list) -> list[Pool] | None:
    """The editor's pools (``[{id, draw, balanced}]``), or None when they are not in the expected form (an
    error is added). Whether they suit the questions is :func:`~.pools.pool_problems`'s to say."""
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw) or len(raw) > MAX_QUESTIONS:
        errors.append(_("The question pools are not in the expected form."))
        return None
    found = []
    for entry in raw:
        pool_id = str(entry.get("id") or "").strip()
        draw = typed(entry.get("draw"), errors)
        if draw is typed.DOUBT:
            draw = 0
        elif draw is None or draw != int(draw):
            errors.append(_("Pool \u201c%(pool)s\u201d: the number of questions to draw must be a whole number.")
                          % {"pool": pool_id})
            draw = 0
        if not isinstance(entry.get("balanced", False), bool):
            errors.append(_("Pool \u201c%(pool)s\u201d: balanced per dimension must be on or off.") % {"pool": pool_id})
        found.append(Pool(pool_id, int(draw), entry.get("balanced") is True))
    return found


def _question_from_editor(raw, _, typed: _Typed) -> tuple[Question | None, list[str]]:
    if not isinstance(raw, dict):
        return None, [_("the question is not in the expected form.")]
    problems: list[str] = []
    qtype = raw.get("type")
    if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:
        return None, [_("choose a question type.")]

    def text(key: str) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            problems.append(_("the %(part)s must be text.") % {"part": _(PART_NAMES.get(key, key))})
            return ""
        return value.strip()

    points = typed(raw.get("points", 1), problems)
    if points is None:
        problems.append(_("the points must be a number greater than 0."))
    if points is None or points is typed.DOUBT:
        points = 1.0
    dimension = raw.get("dimension") or None
    if dimension is not None and not dimensions.is_dimension(dimension):
        problems.append(_("choose a Decent Work dimension or the quiz's own."))
        dimension = None
    pool = raw.get("pool") or None
    if pool is not None and not isinstance(pool, str):
        problems.append(_("choose a pool or none."))
        pool = None
    question = Question(
        id=text("id"), type=qtype, prompt=text("prompt"), points=points, dimension=dimension,
        explanation=text("explanation"), objective=text("objective") or None, pool=pool,
    )
    if QUESTION_TYPES[qtype].has_choices:
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or not all(isinstance(c, dict) for c in raw_choices):
            problems.append(_("the choices are not in the expected form."))
            raw_choices = []
        for c in raw_choices:
            if not isinstance(c.get("correct", False), bool):
                problems.append(_("a choice's correct mark must be on or off."))
            question.choices.append(Choice(
                id=str(c.get("id") or "").strip(), text=str(c.get("text") or "").strip(),
                correct=c.get("correct") is True, feedback=str(c.get("feedback") or "").strip(),
            ))
    if qtype == "numeric":
        answer = typed(raw.get("answer"), problems)
        # In doubt, the save is refused by the doubt alone: no second message about a missing number.
        question.answer = typed.doubts[-1]["readings"][0]["value"] if answer is typed.DOUBT else answer
        tolerance = raw.get("tolerance")
        tol = 0.0 if tolerance in (None, "") else typed(tolerance, problems)
        if tol is None:
            problems.append(_("the tolerance must be a number of at least 0."))
        if tol is None or tol is typed.DOUBT:
            tol = 0.0
        question.tolerance = tol
    if qtype == "truefalse":
        answer = raw.get("answer")
        question.answer = answer if isinstance(answer, bool) else None
    if qtype == "text":
        accepted = raw.get("accepted")
        if not isinstance(accepted, list) or not all(isinstance(a, str) for a in accepted):
            problems.append(_("the accepted answers must be a list of texts."))
            accepted = []
        question.accepted = [a.strip() for a in accepted if a.strip()]
    return question, problems


# --- a wrong answer accepted from the item analysis -----------------------------------------------


def accepting(questions: list[dict], question_id: str, value: str) -> list[dict] | None:
    """The editor's questions with the counted wrong answer ``value`` of a text or numeric question accepted.

    ``questions`` is what the editor starts from (the stored questions, as the editor's markup); the result
    is saved as an editor's save is (:func:`validate_studio_payload`). A text question gets ``value`` as one
    more accepted answer; a numeric question's tolerance is widened just enough to take ``value`` in (its
    number stays the key). None when the question is not a text or numeric question of the quiz.
    """
    out = [dict(q) for q in questions]
    for question in out:
        if question.get("id") != question_id:
            continue
        if question.get("type") == "text":
            question["accepted"] = [*question.get("accepted", []), value]
            return out
        if question.get("type") == "numeric" and question.get("answer") is not None:
            number = json_input.decimal(value)
            if number is None:
                return None
            # The exact decimal difference ("2.3" from 2.0 is 0.3, not 0.2999...), as an author would type it.
            needed = float(abs(Decimal(str(value).strip()) - Decimal(repr(float(question["answer"])))))
            question["tolerance"] = max(float(question.get("tolerance") or 0.0), needed)
            return out
        return None
    return None
