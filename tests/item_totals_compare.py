"""Running item totals compared with the totals ``item_totals.rebuild`` recomputes from the answer rows."""

from __future__ import annotations


def without_empty(totals):
    """``(quiz, {question: totals})`` without the zero counts a taken-away contribution leaves behind (a rebuild
    writes no empty rows): empty bands and options left out, and a question of which nothing is left at all."""
    from sse_academy_xblock.quiz.item_totals import QUESTION_COUNTERS

    quiz, questions = totals
    quiz.bands = {b: c for b, c in quiz.bands.items() if c}
    for t in questions.values():
        t.options = {k: v for k, v in t.options.items() if v}
        t.bands = {k: v for k, v in t.bands.items() if v[0]}
        t.zbands = {k: v for k, v in t.zbands.items() if v[0] or v[1]}
        t.rbands = {k: v for k, v in t.rbands.items() if v[0] or v[1]}
    return quiz, {qid: t for qid, t in questions.items()
                  if any(getattr(t, c) for c in QUESTION_COUNTERS) or t.options or t.bands or t.zbands or t.rbands}
