"""Question pools: questions grouped so that each learner is asked N of a pool's questions, drawn for them.

A quiz's questions either stand alone (every learner is asked them) or belong to one pool
(:class:`Pool`: an id, how many to draw, whether the draw is balanced per Decent Work dimension).
The draw is a pure function of a seed (the learner's anonymous id and the block's usage id), the pool
and a *round*: 0 when the draw is fixed for the learner, the attempt's number when the author asks for
a new draw per attempt (:func:`round_of`). Nothing is stored: the same learner gets the same questions on
every reload, in every process, and staff can tell which questions a learner drew from the roster alone
(docs/decisions/0008-question-pools.md).

Every learner must be able to earn the same points, in all and per dimension: the platform's gradebook
keeps one ``max_score()`` per block, read with no learner bound, and the profile adds up what each block
can award per dimension. So the questions of a pool have equal points, and a pool whose questions are on
more than one dimension must be *balanced*: each dimension gives the same share of the draw as of the
pool, ``draw * questions on the dimension / questions in the pool``, which must be a whole number
(:func:`pool_problems`). Then every draw has the same points per dimension (:func:`representative`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from ..dimensions import DIMENSION_IDS
from .questions import ID_PATTERN, Question, question_label


@dataclass(frozen=True)
class Pool:
    """A group of questions of which each learner is asked ``draw``."""

    id: str
    draw: int = 1
    balanced: bool = False  # the draw takes the pool's share of every Decent Work dimension

    def to_dict(self) -> dict:
        return {"id": self.id, "draw": self.draw, "balanced": self.balanced}

    @classmethod
    def from_dict(cls, data: dict) -> Pool:
        return cls(id=str(data["id"]), draw=int(data.get("draw", 1)), balanced=bool(data.get("balanced", False)))


def load_pools(stored: list[dict] | None) -> list[Pool]:
    return [Pool.from_dict(d) for d in stored or []]


def dump_pools(pools: list[Pool]) -> list[dict]:
    return [p.to_dict() for p in pools]


def members(questions: list[Question], pool_id: str) -> list[Question]:
    return [q for q in questions if q.pool == pool_id]


def _dimension(question: Question, default_dimension: str) -> str:
    dim = question.dimension_or(default_dimension)
    return dim if dim in DIMENSION_IDS else default_dimension


def shares(pool: Pool, questions: list[Question], default_dimension: str) -> dict[str, float]:
    """``{dimension: questions drawn on it}`` of a balanced draw (whole numbers when the pool is valid)."""
    mine = members(questions, pool.id)
    counts: dict[str, int] = {}
    for question in mine:
        dim = _dimension(question, default_dimension)
        counts[dim] = counts.get(dim, 0) + 1
    return {dim: pool.draw * count / len(mine) for dim, count in counts.items()} if mine else {}


def pool_problems(pools: list[Pool], questions: list[Question], default_dimension: str, _) -> list[str]:
    """What makes the pools unusable (OLX import and Studio save refuse these), as sentences for the author."""
    problems: list[str] = []
    ids = [p.id for p in pools]
    question_ids = {q.id for q in questions}
    for pool in pools:
        name = {"pool": pool.id}
        if not ID_PATTERN.match(pool.id or ""):
            problems.append(_("Pool \u201c%(pool)s\u201d: the id must be 1 to 64 letters, digits, '-', '_' or '.', "
                              "starting with a letter or digit.") % name)
        if ids.count(pool.id) > 1:
            problems.append(_("Pool \u201c%(pool)s\u201d: two pools have this id.") % name)
            continue
        if pool.id in question_ids:
            problems.append(_("Pool \u201c%(pool)s\u201d: a question has this id; give the pool another.") % name)
        mine = members(questions, pool.id)
        if not mine:
            problems.append(_("Pool \u201c%(pool)s\u201d has no questions.") % name)
            continue
        if not 1 <= pool.draw <= len(mine):
            problems.append(_("Pool \u201c%(pool)s\u201d: the number of questions to draw must be from 1 to "
                              "%(size)s, the questions in the pool.") % {**name, "size": len(mine)})
            continue
        if len({float(q.points) for q in mine}) > 1:
            problems.append(_("Pool \u201c%(pool)s\u201d: its questions must all have the same points, so that every "
                              "learner can earn the same score.") % name)
        split = shares(pool, questions, default_dimension)
        if len(split) > 1 and not pool.balanced:
            problems.append(_("Pool \u201c%(pool)s\u201d: its questions are on several Decent Work dimensions. Draw "
                              "balanced per dimension, or put them on one dimension, so that every learner can "
                              "earn the same points per dimension.") % name)
        elif pool.balanced and any(abs(k - round(k)) > 1e-9 for k in split.values()):
            problems.append(_("Pool \u201c%(pool)s\u201d: a balanced draw takes the same share of each dimension as "
                              "the pool has; drawing %(draw)s of %(size)s questions does not give a whole number "
                              "of questions per dimension. Change the number drawn or the questions' dimensions.")
                            % {**name, "draw": pool.draw, "size": len(mine)})
    known = set(ids)
    for number, question in enumerate(questions, start=1):
        if question.pool is not None and question.pool not in known:
            problems.append(_("%(question)s: there is no pool \u201c%(pool)s\u201d.")
                            % {"question": question_label(_, number), "pool": question.pool})
    return problems


def seed(anonymous_user_id: str | None, usage_id: str) -> str:
    """The seed of a learner's draws on one block (also what orders their shuffled choices)."""
    return f"{anonymous_user_id or ''}|{usage_id}"


def round_of(redraw: bool, attempt: int) -> int:
    """The draw's round: 0 (the same draw on every attempt) or the attempt's number (a new draw each time)."""
    return attempt if redraw else 0


def _random(seed: str, pool_id: str, draw_round: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}|pool|{pool_id}|{draw_round}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def drawn_ids(questions: list[Question], pools: list[Pool], seed: str, draw_round: int,
              default_dimension: str) -> set[str]:
    """The ids of the questions a pool drew for this seed and round (the questions outside pools not included)."""
    chosen: set[str] = set()
    for pool in pools:
        mine = members(questions, pool.id)
        if not mine:
            continue
        rng = _random(seed, pool.id, draw_round)
        if pool.balanced:
            split = shares(pool, questions, default_dimension)
            for dim in DIMENSION_IDS:  # a fixed order, so the draw does not depend on the questions' order
                group = [q.id for q in mine if _dimension(q, default_dimension) == dim]
                if group:
                    chosen.update(rng.sample(group, min(len(group), int(round(split[dim])))))
        else:
            chosen.update(rng.sample([q.id for q in mine], min(len(mine), max(0, pool.draw))))
    return chosen


def draw(questions: list[Question], pools: list[Pool], seed: str, draw_round: int = 0,
         default_dimension: str = DIMENSION_IDS[0]) -> list[Question]:
    """The questions asked of this seed in this round, in the author's order: every question outside a pool
    and the pools' draws. A quiz without pools asks every question."""
    pooled = [q for q in questions if q.pool is not None]
    if not pooled:
        return list(questions)
    chosen = drawn_ids(questions, pools, seed, draw_round, default_dimension)
    return [q for q in questions if q.pool is None or q.id in chosen]


def representative(questions: list[Question], pools: list[Pool], default_dimension: str) -> list[Question]:
    """One draw, standing for all: valid pools give every draw the same points, in all and per dimension
    (what ``max_score()`` and the profile read, with no learner bound)."""
    return draw(questions, pools, "", 0, default_dimension)


def grouped(questions: list[Question]) -> list[Question]:
    """The questions with each pool's questions together, where the pool's first question is (the order OLX
    writes them in, so that the order read back is the order stored)."""
    out: list[Question] = []
    placed: set[str] = set()
    for question in questions:
        if question.pool is None:
            out.append(question)
        elif question.pool not in placed:
            placed.add(question.pool)
            out.extend(q for q in questions if q.pool == question.pool)
    return out
