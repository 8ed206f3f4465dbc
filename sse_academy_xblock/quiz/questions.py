"""Quiz content as plain data: question types, choices, and the one registry of types and policies.

Everything else (grading, OLX, answers, authoring, the block, the Studio editor's JS) reads the names below
from here, so a type or a policy is added in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dimensions import DEFAULT_DIMENSION
from ..i18n import gettext_noop as _


@dataclass(frozen=True)
class QuestionType:
    """A kind of question: how it is answered and which parts of the key it uses."""

    id: str
    label: str
    has_choices: bool = False


QUESTION_TYPES: dict[str, QuestionType] = {
    t.id: t
    for t in (
        QuestionType("single", _("Single choice"), has_choices=True),
        QuestionType("multiple", _("Multiple choice"), has_choices=True),
        QuestionType("truefalse", _("True or false")),
        QuestionType("numeric", _("Number with tolerance")),
        QuestionType("text", _("Short text")),
    )
}

# How a `multiple` question is scored (a quiz-wide setting).
ALL_OR_NOTHING = "all_or_nothing"
PARTIAL = "partial"
SCORING_POLICIES: dict[str, str] = {
    ALL_OR_NOTHING: _("All or nothing: every correct choice and no wrong one"),
    PARTIAL: _("Partial credit: +1 per correct choice selected, -1 per wrong one, never below 0"),
}

# When the key (correct answers, explanations) is shown to the learner; ``closed``, ``finished`` and
# ``past_due`` mean what they mean for the platform's problems (``answer_available`` in xmodule/capa_block.py).
SHOW_NEVER = "never"
SHOW_ALWAYS = "always"
SHOW_FINISHED = "finished"
SHOW_CLOSED = "closed"
SHOW_PAST_DUE = "past_due"
SHOW_ANSWER_POLICIES: dict[str, str] = {
    SHOW_NEVER: _("Never"),
    SHOW_ALWAYS: _("After each submission"),
    SHOW_FINISHED: _("When the attempts are used up, the score is full or the due date has passed"),
    SHOW_CLOSED: _("When the quiz is closed: the attempts are used up or the due date has passed"),
    SHOW_PAST_DUE: _("After the due date"),
}

# Settings that share their name with one of the platform's inheritable course settings
# (``InheritanceMixin`` in xmodule/modulestore/inheritance.py): left unset by a quiz that has none, so that
# the course's value reaches it, and written on export only when the quiz sets them.
COURSE_SETTINGS = frozenset({"max_attempts"})

# Quiz settings when neither OLX nor Studio sets them (the block's field defaults).
DEFAULT_SETTINGS: dict = {
    "display_name": _("Quiz"),
    "dimension": DEFAULT_DIMENSION,
    "weight": None,
    "max_attempts": None,  # unset: the course's setting (the platform's inheritable max_attempts), else no limit
    "show_answer": SHOW_FINISHED,
    "shuffle": False,
    "pass_mark": 60,
    "multiple_scoring": ALL_OR_NOTHING,
    "retry_after_full": False,
    "content_language": "en",
    "redraw": False,  # with pools: a new draw for each attempt instead of one draw for the learner
    "pools": [],  # the question pools, as stored (sse_academy_xblock.quiz.pools.dump_pools)
}

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_TEXT_ANSWER = 1000
MAX_QUESTIONS = 200
MAX_CHOICES = 26


def registry_for_js(gettext) -> dict:
    """The registry as data for the Studio editor (labels translated)."""
    return {
        "types": [{"value": t.id, "label": gettext(t.label), "has_choices": t.has_choices}
                  for t in QUESTION_TYPES.values()],
        "scoring": [{"value": k, "label": gettext(v)} for k, v in SCORING_POLICIES.items()],
        "show_answer": [{"value": k, "label": gettext(v)} for k, v in SHOW_ANSWER_POLICIES.items()],
    }


@dataclass
class Choice:
    id: str
    text: str = ""
    correct: bool = False
    feedback: str = ""

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "correct": self.correct, "feedback": self.feedback}

    @classmethod
    def from_dict(cls, data: dict) -> Choice:
        return cls(
            id=str(data["id"]),
            text=str(data.get("text") or ""),
            correct=bool(data.get("correct", False)),
            feedback=str(data.get("feedback") or ""),
        )


@dataclass
class Question:
    """One question. Only the key parts its type uses are meaningful (see :data:`QUESTION_TYPES`).

    ``dimension`` None means the quiz's dimension. ``answer`` is the number of a ``numeric``
    question or the boolean of a ``truefalse`` one; ``accepted`` the answers of a ``text`` one.
    ``objective`` names the learning objective the question assesses (the ``id`` of an
    ``<objective>`` of the module it belongs to), or None.
    """

    id: str
    type: str
    prompt: str = ""
    points: float = 1.0
    dimension: str | None = None
    choices: list[Choice] = field(default_factory=list)
    answer: float | bool | None = None
    tolerance: float = 0.0
    accepted: list[str] = field(default_factory=list)
    explanation: str = ""
    objective: str | None = None
    pool: str | None = None  # the id of the pool the question belongs to (sse_academy_xblock.quiz.pools)

    @property
    def kind(self) -> QuestionType:
        return QUESTION_TYPES[self.type]

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def correct_choice_ids(self) -> list[str]:
        return [c.id for c in self.choices if c.correct]

    def dimension_or(self, default: str) -> str:
        return self.dimension or default

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "prompt": self.prompt,
            "points": self.points,
            "dimension": self.dimension,
            "choices": [c.to_dict() for c in self.choices],
            "answer": self.answer,
            "tolerance": self.tolerance,
            "accepted": list(self.accepted),
            "explanation": self.explanation,
            "objective": self.objective,
            **({"pool": self.pool} if self.pool else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        """Rebuild a question stored by :meth:`to_dict` (data already validated when it was saved)."""
        qtype = str(data["type"])
        answer = data.get("answer")
        if qtype == "numeric" and answer is not None:
            answer = float(answer)
        elif qtype == "truefalse" and answer is not None:
            answer = bool(answer)
        elif qtype not in ("numeric", "truefalse"):
            answer = None
        return cls(
            id=str(data["id"]),
            type=qtype,
            prompt=str(data.get("prompt") or ""),
            points=float(data.get("points", 1.0)),
            dimension=data.get("dimension") or None,
            choices=[Choice.from_dict(c) for c in data.get("choices") or []],
            answer=answer,
            tolerance=float(data.get("tolerance") or 0.0),
            accepted=[str(a) for a in data.get("accepted") or []],
            explanation=str(data.get("explanation") or ""),
            objective=str(data["objective"]) if data.get("objective") else None,
            pool=str(data["pool"]) if data.get("pool") else None,
        )


def question_label(gettext, number: int) -> str:
    """How a message to a person names a question: "Question 3" (``gettext`` is the caller's)."""
    return gettext("Question %(number)s") % {"number": number}


def load_questions(stored: list[dict]) -> list[Question]:
    """The questions of a block's ``questions`` field."""
    return [Question.from_dict(d) for d in stored or []]


def dump_questions(questions: list[Question]) -> list[dict]:
    return [q.to_dict() for q in questions]
