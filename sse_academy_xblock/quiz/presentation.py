"""What the learner's browser is allowed to know, built in one place for the template and the JSON reply.

The view model carries the questions (sanitised prompts and choices, in the learner's stable
shuffled order), the learner's last answers and results, and the key and explanations only when
the show-answer policy allows. Nothing else about the key (correct flags, accepted answers,
numbers, tolerances) is ever put into it.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape

from .. import l10n, typed_numbers
from ..deadlines import SHOW_CORRECTNESS_NEVER, SHOW_CORRECTNESS_NEVER_BUT_INCLUDE_GRADE, Deadline, correctness_available
from ..i18n import gettext_noop
from ..sanitize import author_text, clean_author_html
from . import grading
from .attempts import attempts_used_up, closed_reason
from .questions import ALL_OR_NOTHING, PARTIAL, SHOW_ALWAYS, SHOW_CLOSED, SHOW_FINISHED, SHOW_PAST_DUE, Question


@dataclass
class LearnerState:
    attempts: int
    answers: dict
    results: dict
    earned: float | None
    possible: float


@dataclass
class QuizSettings:
    max_attempts: int | None  # None or 0: no limit
    show_answer: str
    shuffle: bool
    pass_mark: float
    multiple_scoring: str = ALL_OR_NOTHING
    retry_after_full: bool = False
    deadline: Deadline = Deadline()  # the platform's due date and grace period (none: never closes)
    show_correctness: str = "always"  # the platform's rule for results (always, past_due, never)


# Said on the page (the date in UTC, which the browser shows in the learner's time zone) and in the refusal
# of a late submit (the date written by the server in the learner's language and time zone).
CLOSED_ON = gettext_noop("This quiz closed on %(when)s.")
DUE_ON = gettext_noop("Due: %(when)s.")


# How a "select all that apply" question is scored, told to the learner before they answer.
SCORING_TEXTS = {
    ALL_OR_NOTHING: gettext_noop("Scoring: you earn the points only if you select every correct choice and no "
                                 "wrong one."),
    PARTIAL: gettext_noop("Scoring: each correct choice you select earns part of the points, and each wrong "
                          "choice you select takes part away; the score never goes below 0."),
}


def shuffled_choices(question: Question, seed: str):
    """The question's choices in an order fixed for this learner, block and question."""
    choices = list(question.choices)
    digest = hashlib.sha256(f"{seed}|{question.id}".encode()).hexdigest()
    random.Random(int(digest[:16], 16)).shuffle(choices)
    return choices


def results_shown(settings: QuizSettings, now: datetime, staff: bool = False) -> bool:
    """Whether the learner may see which answers were right and their score (the platform's
    ``show_correctness``: always; never; past_due, once the due date and grace period have passed)."""
    return correctness_available(settings.show_correctness, settings.deadline, staff, now)


def answers_revealed(settings: QuizSettings, state: LearnerState, now: datetime | None = None,
                     staff: bool = False) -> bool:
    """The show-answer policy, with the platform's meanings (``answer_available`` in xmodule/capa_block.py).

    Never while results are hidden, nor with ``never``. ``always``: after each submission; ``finished``:
    once the attempts are used up, the score is full or the due date has passed; ``closed``: once the
    attempts are used up or the due date has passed; ``past_due``: once the due date (and grace period)
    has passed. Course staff follow the same policy as anyone taking the quiz (the page shows the key
    in place, not behind a button as the platform's problems do), though they see results.
    """
    now = now or datetime.now(timezone.utc)
    if not results_shown(settings, now, staff) or settings.show_answer not in (
            SHOW_ALWAYS, SHOW_FINISHED, SHOW_CLOSED, SHOW_PAST_DUE):
        return False
    past_due = settings.deadline.passed(now)
    used_up = bool(state.results) and attempts_used_up(settings.max_attempts, state.attempts)
    full = bool(state.results) and state.earned is not None and state.possible > 0 and state.earned >= state.possible
    if settings.show_answer == SHOW_ALWAYS:
        return bool(state.results)
    if settings.show_answer == SHOW_FINISHED:
        return used_up or full or past_due
    if settings.show_answer == SHOW_CLOSED:
        return used_up or past_due
    return past_due


_STATUS_CSS = {grading.CORRECT: "sse-correct", grading.PARTIALLY: "sse-partial"}


def _selected(question: Question, answer) -> list[str]:
    """The choice ids the learner picked last time (``true``/``false`` for true-or-false)."""
    if question.type == "single" and isinstance(answer, str):
        return [answer]
    if question.type == "multiple" and isinstance(answer, list):
        return list(answer)
    if question.type == "truefalse" and isinstance(answer, bool):
        return ["true" if answer else "false"]
    return []


def _value_text(question: Question, answer) -> str:
    if question.type == "numeric" and isinstance(answer, (int, float)) and not isinstance(answer, bool):
        # In the learner's language ("1999,5" in French), and never in a form that would be asked about when
        # sent again: 1.895 is written "1,8950" (see sse_academy_xblock.typed_numbers).
        return typed_numbers.written(answer, extra_places=1)
    if question.type == "text" and isinstance(answer, str):
        return answer
    return ""


def _status_label(t, status: str) -> str:
    return {
        grading.CORRECT: t.gettext("Correct"),
        grading.INCORRECT: t.gettext("Incorrect"),
        grading.PARTIALLY: t.gettext("Partly correct"),
        grading.UNANSWERED: t.gettext("Not answered"),
    }.get(status, "")


def _points(t, earned: float, possible: float) -> str:
    return l10n.points(t, earned, possible)


def _key_text(t, question: Question) -> str:
    if question.type in ("single", "multiple"):
        texts = [author_text(c.text) for c in question.choices if c.correct]
        answer = "; ".join(texts) if texts else t.gettext("none of the choices")
    elif question.type == "truefalse":
        answer = t.gettext("True") if question.answer else t.gettext("False")
    elif question.type == "numeric":
        # As the author wrote it (a year reads "1895"), with the reader's decimal separator, every decimal kept.
        answer = l10n.number(question.answer, places=6, grouping=False)
        if question.tolerance:
            answer = t.gettext("%(answer)s (give or take %(tolerance)s)") % {
                "answer": answer, "tolerance": l10n.number(question.tolerance, places=6, grouping=False)}
    else:
        answer = " / ".join(question.accepted)
    return t.gettext("Correct answer: %(answer)s") % {"answer": answer}


def _feedback(question: Question, answer) -> list[str]:
    if question.type == "single":
        selected = [answer] if isinstance(answer, str) else []
    elif question.type == "multiple":
        selected = list(answer or [])
    else:
        return []
    items = []
    for choice_id in selected:
        choice = question.choice(choice_id)
        if choice is not None and choice.feedback:
            items.append(clean_author_html(choice.feedback))
    return items


def question_view(t, number: int, question: Question, seed: str, settings: QuizSettings,
                  state: LearnerState, revealed: bool, shown: bool = True) -> dict:
    answer = state.answers.get(question.id)
    if question.type == "truefalse":
        choice_views = [{"id": "true", "html": escape(t.gettext("True"))},
                        {"id": "false", "html": escape(t.gettext("False"))}]
    else:
        choices = shuffled_choices(question, seed) if settings.shuffle else list(question.choices)
        choice_views = [{"id": c.id, "html": clean_author_html(c.text)} for c in choices]
    view = {
        "id": question.id,
        "number": number,
        "legend": t.gettext("Question %(number)s") % {"number": number},
        "type": question.type,
        "prompt_html": clean_author_html(question.prompt),
        "points_text": l10n.point_count(t, question.points),
        "choices": choice_views,
        "scoring_text": t.gettext(SCORING_TEXTS[settings.multiple_scoring])
        if question.type == "multiple" and settings.multiple_scoring in SCORING_TEXTS else "",
        "selected": _selected(question, answer),
        "value_text": _value_text(question, answer),
        "result": None,
        "key_text": "",
        "explanation_html": "",
    }
    result = state.results.get(question.id) if shown else None
    if result:
        view["result"] = {
            "status": result["status"],
            "css": _STATUS_CSS.get(result["status"], "sse-incorrect"),
            "status_label": _status_label(t, result["status"]),
            "status_text": t.gettext("%(label)s: %(value)s") % {
                "label": _status_label(t, result["status"]), "value": _points(t, result["earned"], result["possible"])},
            "points_text": _points(t, result["earned"], result["possible"]),
            "feedback": _feedback(question, answer),
        }
    if revealed:
        view["key_text"] = _key_text(t, question)
        view["explanation_html"] = clean_author_html(question.explanation)
    return view


NEW_DRAW = gettext_noop("Your next attempt asks other questions, drawn for it.")
RESULTS_NEVER_SHOWN = gettext_noop("Your answers have been submitted. This quiz does not show results.")
RESULTS_AFTER_DUE = gettext_noop("Your answers have been submitted. Your results will be shown after the due date, "
                                 "%(when)s.")


def hidden_results_text(t, settings: QuizSettings) -> str:
    """What a learner whose results are hidden is told instead of their score."""
    if settings.show_correctness in (SHOW_CORRECTNESS_NEVER, SHOW_CORRECTNESS_NEVER_BUT_INCLUDE_GRADE) or (
            settings.deadline.due is None):
        return t.gettext(RESULTS_NEVER_SHOWN)
    return t.gettext(RESULTS_AFTER_DUE) % {"when": l10n.fallback_when(settings.deadline.due)}


def attempts_text(t, settings: QuizSettings, attempts: int) -> str:
    """One sentence on the attempts: how many are left, or used when there is no limit."""
    if not settings.max_attempts or settings.max_attempts <= 0:
        return t.ngettext("%(used)s attempt used (no limit).", "%(used)s attempts used (no limit).", attempts) % {
            "used": attempts}
    left = max(0, settings.max_attempts - attempts)
    if left == 0:
        return t.gettext("No attempts left.")
    return t.ngettext("%(left)s of %(max)s attempt left.", "%(left)s of %(max)s attempts left.",
                      settings.max_attempts) % {"left": left, "max": settings.max_attempts}


def _closed(settings: QuizSettings, state: LearnerState, now: datetime, staff: bool) -> str | None:
    """Why the learner may not make another attempt (untranslated), or None."""
    submitted = state.earned is not None and bool(state.results)
    return closed_reason(
        max_attempts=settings.max_attempts, attempts=state.attempts,
        earned=state.earned if submitted and state.attempts else None, possible=state.possible,
        # While results are hidden, a full score does not end the attempts: saying so would tell the score.
        retry_after_full=settings.retry_after_full or not results_shown(settings, now, staff))


def may_submit(settings: QuizSettings, state: LearnerState, now: datetime, staff: bool = False) -> bool:
    """Whether the learner may make another attempt now (attempts left, not closed by a full score or the date)."""
    return not _closed(settings, state, now, staff) and not settings.deadline.passed(now)


def learner_view(t, questions: list[Question], seed: str, settings: QuizSettings, state: LearnerState,
                 now: datetime | None = None, staff: bool = False, answered_only: bool = False,
                 last_attempt: list[Question] | None = None) -> dict:
    """Everything the learner's page shows, as plain data (HTML parts already sanitised).

    ``questions`` are those the learner is asked (a pool's draw). ``answered_only``: a question's result and
    key are shown only if the learner's last attempt asked it (a new draw per attempt shows new questions).
    ``last_attempt``: with a new draw per attempt, the questions the last attempt asked when they are not
    the ones shown; their results (and key, as the policy allows) go in ``last_attempt`` for the page that
    has just submitted them, and ``new_draw`` says the next attempt asks other questions.
    """
    now = now or datetime.now(timezone.utc)
    revealed = answers_revealed(settings, state, now, staff)
    shown = results_shown(settings, now, staff)
    submitted = state.earned is not None and bool(state.results)
    past_due = settings.deadline.passed(now)
    closed = _closed(settings, state, now, staff)
    due = settings.deadline.due

    def answered(question: Question) -> bool:
        return not answered_only or question.id in state.results

    view = {
        "questions": [question_view(t, n, q, seed, settings, state, revealed and answered(q), shown and answered(q))
                      for n, q in enumerate(questions, 1)],
        "attempts": state.attempts,
        "next_attempt": state.attempts + 1,
        "max_attempts": settings.max_attempts,
        "can_submit": not closed and not past_due and bool(questions),
        "closed_text": (t.gettext(CLOSED_ON) % {"when": l10n.fallback_when(due)} if past_due
                        else t.gettext(closed) if closed else ""),
        "due_text": t.gettext(DUE_ON) % {"when": l10n.fallback_when(due)} if due and not past_due else "",
        "submitted": submitted,
        "revealed": revealed,
        "pass_mark": settings.pass_mark,
        "pass_mark_text": t.gettext("Pass mark: %(mark)s") % {"mark": l10n.percent(t, settings.pass_mark)},
        "attempts_text": attempts_text(t, settings, state.attempts),
        "attempts_left_text": "",
    }
    view["new_draw"] = bool(last_attempt) and [q.id for q in last_attempt] != [q.id for q in questions]
    view["last_attempt"] = [question_view(t, n, q, seed, settings, state, revealed, shown)
                            for n, q in enumerate(last_attempt, 1)] if view["new_draw"] else []
    view["new_draw_text"] = t.gettext(NEW_DRAW) if view["new_draw"] else ""
    view["results_text"] = hidden_results_text(t, settings) if submitted and not shown else ""
    view["score_text"] = view["pass_text"] = ""
    if submitted and shown:
        earned, possible = state.earned, state.possible
        is_pass = grading.passed(earned, possible, settings.pass_mark)
        view.update({
            "earned": earned,
            "possible": possible,
            "percent": grading.percent(earned, possible),
            "passed": is_pass,
            "score_text": t.gettext("Your score: %(score)s.") % {"score": l10n.score(t, earned, possible)},
            "pass_text": (t.gettext("Passed.") if is_pass else t.gettext("Not passed.")),
        })
    return view


def api_data(questions: list[Question], settings: dict, quiz_dimension: str, pool_list=()) -> dict:
    """The quiz for API clients (the Course Blocks API's ``student_view_data``, read by the mobile apps).

    Content only, the same for every learner: the settings a learner is told about and the questions
    with their choices in authored order, with author HTML sanitised. Never the key: no correct flags,
    numbers, tolerances, accepted answers, per-choice feedback or explanations.

    The API collects this once per course, for no learner in particular, so a question in a pool (which
    each learner may or may not be asked) is left out: ``pools`` says how many of each pool a learner is
    asked and what each is worth, and the pool's questions are seen only in the learner's own view.
    """
    pooled = {pool.id for pool in pool_list}
    members = {pool.id: [q for q in questions if q.pool == pool.id] for pool in pool_list}
    return {
        "display_name": settings["display_name"],
        "dimension": quiz_dimension,
        "max_attempts": settings["max_attempts"],
        "show_answer": settings["show_answer"],
        "shuffle": bool(settings["shuffle"]),
        "pass_mark": settings["pass_mark"],
        "multiple_scoring": settings["multiple_scoring"],
        "weight": settings["weight"],
        "pools": [
            {"id": pool.id, "asked": pool.draw, "questions": len(members[pool.id]),
             "points_each": members[pool.id][0].points if members[pool.id] else 0}
            for pool in pool_list
        ],
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "points": q.points,
                "dimension": q.dimension or quiz_dimension,
                "prompt_html": clean_author_html(q.prompt),
                "choices": [{"id": c.id, "html": clean_author_html(c.text)} for c in q.choices],
            }
            for q in questions
            if q.pool not in pooled
        ],
    }
