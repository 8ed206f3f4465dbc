"""Item analysis as the staff panel, its JSON handler and its CSV show it: figures worded and translated.

Plain data over :class:`sse_academy_xblock.insight.item_statistics.QuizAnalysis`; no runtime. Numbers are
kept raw (``None`` when there is not enough data) next to their displayed text, so the JSON reply
serves scripts as well as the panel.
"""

from __future__ import annotations

from decimal import Decimal

from .. import dimensions, l10n, typed_numbers
from ..insight import item_statistics, score_statistics
from ..sanitize import author_text
from . import wrong_answers
from .grading import random_guess_score
from .questions import ALL_OR_NOTHING, PARTIAL, Question

LABEL_LENGTH = 80
DISCRIMINATION_GOOD = 0.3
DISCRIMINATION_FAIR = 0.2


def _short(text: str, length: int = LABEL_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _percent(t, value: float | None) -> str:
    return "" if value is None else l10n.percent(t, round(100 * value))


def _coefficient(value: float | None) -> str:
    return "" if value is None else l10n.fixed(value, 2)


def _one_decimal_percent(t, value: float | None) -> str:
    return "" if value is None else t.gettext("%(percent)s%%") % {"percent": l10n.fixed(value, 1)}


def option_labels(t, question: Question) -> dict[str, str]:
    """``{option id: plain-text label}`` of a choice or true/false question."""
    if question.type == "truefalse":
        return {"true": t.gettext("True"), "false": t.gettext("False")}
    return {c.id: _short(author_text(c.text)) or c.id for c in question.choices}


def discrimination_word(t, value: float | None) -> str:
    """The discrimination in words, so the panel never relies on a number's colour."""
    if value is None:
        return t.gettext("not enough data")
    if value < 0:
        return t.gettext("negative")
    if value >= DISCRIMINATION_GOOD:
        return t.gettext("good")
    if value >= DISCRIMINATION_FAIR:
        return t.gettext("fair")
    return t.gettext("weak")


def hint_texts(t, stats: item_statistics.ItemStats, labels: dict[str, str], keyed=frozenset()) -> list[str]:
    texts = []
    if item_statistics.HINT_WRONG_OPTION_BEATS_KEY in stats.hints and stats.wrong_options:
        for option in stats.wrong_options:  # a select-all question: each option on its own
            texts.append((t.gettext("More learners left out the correct option “%(option)s” than chose it. Check "
                                    "the key; after correcting it, rescore the learners.") if option in keyed else
                           t.gettext("More learners chose the wrong option “%(option)s” than left it out. Check "
                                     "the key; after correcting it, rescore the learners."))
                         % {"option": labels.get(option, option)})
    elif item_statistics.HINT_WRONG_OPTION_BEATS_KEY in stats.hints:
        texts.append(t.gettext("More learners chose the wrong option “%(option)s” than the correct answer. "
                               "Check the key; after correcting it, rescore the learners.")
                     % {"option": labels.get(stats.top_wrong_option, stats.top_wrong_option)})
    if item_statistics.HINT_NEGATIVE_DISCRIMINATION in stats.hints:
        texts.append(t.gettext("Learners who do well on the rest of the quiz do worse on this question. "
                               "Check the key and the wording; after a correction, rescore the learners."))
    return texts


def partial_credit(question: Question, multiple_scoring: str) -> bool:
    """Whether the question can earn part of its points (then its mean score is shown beside full credit)."""
    return question.type == "multiple" and multiple_scoring == PARTIAL


WRONG_ANSWERS_SHOWN = 10


def wrong_answer_text(question: Question, value: str) -> str:
    """A counted wrong answer as staff read it: the text as grading compares it, a number in the reader's format."""
    if question.type == "numeric":
        try:  # exact, as the editor writes it ("1895", "2,5" in French); three decimals get a fourth
            return typed_numbers.written(Decimal(value), extra_places=1)
        except ArithmeticError:
            return value
    return value


class _Once:
    """The caller's gettext and ngettext, each message translated once per report (a quiz lists up to ten wrong
    answers per question, each with the same few sentences)."""

    def __init__(self, t):
        self.t, self.cache = t, {}

    def gettext(self, message: str) -> str:
        if message not in self.cache:
            self.cache[message] = self.t.gettext(message)
        return self.cache[message]

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        key = (singular, count)
        if key not in self.cache:
            self.cache[key] = self.t.ngettext(singular, plural, count)
        return self.cache[key]


def accept_confirmation(t, question: Question, label: str, text: str, count: int) -> str:
    """What staff confirm before accepting a wrong answer: what changes in the key, and who is rescored."""
    values = {"answer": text, "question": label, "count": l10n.number(count)}
    if question.type == "numeric":
        change = t.gettext("The tolerance of %(question)s will be widened so that %(answer)s is accepted.") % values
    else:
        change = t.gettext("“%(answer)s” will be added to the accepted answers of %(question)s.") % values
    return change + " " + t.ngettext(
        "The learner who gave it will be rescored; a rescore never lowers a score.",
        "The %(count)s learners who gave it will be rescored; a rescore never lowers a score.", count) % values


def wrong_answer_rows(t, question: Question, counted: list[tuple[str, int]], label: str = "") -> tuple[list[dict], int]:
    """The most frequent counted wrong answers of a text or numeric question, and how many learners gave another."""
    shown = [(v, n) for v, n in counted if v != wrong_answers.OTHER][:WRONG_ANSWERS_SHOWN]
    others = sum(n for _v, n in counted) - sum(n for _v, n in shown)
    once = t if isinstance(t, _Once) else _Once(t)
    rows = []
    for value, count in shown:
        text = wrong_answer_text(question, value)
        rows.append({
            "value": value, "text": text, "count": count,
            "count_text": once.ngettext("%(count)s learner", "%(count)s learners", count) % {"count": l10n.number(count)},
            "confirm_text": accept_confirmation(once, question, label, text, count),
            "accept_label": once.gettext("Accept “%(answer)s” as correct") % {"answer": text},
        })
    return rows, others


def summary_text(t, attempts: str, count: int) -> str:
    """Which attempts the figures count, and how many."""
    if attempts == "first":
        return t.ngettext("Based on the first attempt of %(count)s learner.",
                          "Based on the first attempts of %(count)s learners.", count) % {"count": l10n.count(count)}
    if attempts == "all":
        return t.ngettext("Based on %(count)s attempt: every counted attempt of every learner.",
                          "Based on %(count)s attempts: every counted attempt of every learner.",
                          count) % {"count": l10n.count(count)}
    return t.ngettext("Based on the counted (last) attempt of %(count)s learner.",
                      "Based on the counted (last) attempts of %(count)s learners.", count) % {"count": l10n.count(count)}


def attempt_choices(t, current: str) -> list[dict]:
    """The staff panel's choice of attempts, in the order Moodle offers them."""
    labels = {"first": t.gettext("First attempt of each learner"),
              "last": t.gettext("Last (counted) attempt of each learner"),
              "all": t.gettext("All attempts")}
    return [{"value": value, "label": labels[value], "checked": value == current} for value in ("first", "last", "all")]


def alpha_word(t, value: float | None) -> str:
    """The internal consistency in words (the panel never relies on a number alone)."""
    if value is None:
        return t.gettext("not enough data")
    if value >= score_statistics.ALPHA_GOOD:
        return t.gettext("good")
    if value >= score_statistics.ALPHA_ACCEPTABLE:
        return t.gettext("acceptable")
    return t.gettext("low")


def whole_test_report(t, whole: score_statistics.WholeTest) -> dict:
    """The whole-test figures worded for the panel, the JSON reply and the CSV (raw values kept beside)."""
    not_enough = t.gettext("not enough data")

    def figure(key, label, value, text):
        return {"key": key, "label": label, "value": value, "text": text if value is not None else not_enough}

    alpha_name = t.gettext("Cronbach's alpha (KR-20)") if whole.kr20 else t.gettext("Cronbach's alpha")
    alpha_text = ""
    if whole.alpha is not None:
        alpha_text = t.gettext("%(value)s (%(word)s)") % {"value": l10n.fixed(whole.alpha, 2),
                                                         "word": alpha_word(t, whole.alpha)}
    figures = [
        figure("learners", t.gettext("Attempts counted"), whole.learners, l10n.count(whole.learners)),
        figure("mean", t.gettext("Mean score"), whole.mean, _one_decimal_percent(t, whole.mean)),
        figure("median", t.gettext("Median score"), whole.median, _one_decimal_percent(t, whole.median)),
        figure("sd", t.gettext("Standard deviation (percentage points)"), whole.sd,
               "" if whole.sd is None else l10n.fixed(whole.sd, 1)),
        figure("skewness", t.gettext("Skewness"), whole.skewness, _coefficient(whole.skewness)),
        figure("kurtosis", t.gettext("Kurtosis (excess)"), whole.kurtosis, _coefficient(whole.kurtosis)),
        figure("alpha", alpha_name, whole.alpha, alpha_text),
        figure("error_ratio", t.gettext("Error ratio"), whole.error_ratio, _one_decimal_percent(t, whole.error_ratio)),
        figure("sem", t.gettext("Standard error of measurement (percentage points)"), whole.sem,
               "" if whole.sem is None else l10n.fixed(whole.sem, 1)),
    ]
    top = max(whole.distribution, default=0)
    width = 100 // score_statistics.DISTRIBUTION_GROUPS
    groups = []
    for index, count in enumerate(whole.distribution):
        low, high = index * width, (index + 1) * width - 1
        if index == score_statistics.DISTRIBUTION_GROUPS - 1:
            high = 100
        share = count / whole.learners if whole.learners else 0.0
        groups.append({
            "label": t.gettext("%(low)s–%(high)s%%") % {"low": l10n.count(low), "high": l10n.count(high)},
            "count": count, "share": share, "share_text": l10n.percent(t, round(100 * share)),
            "bar": round(100 * count / top) if top else 0,
        })
    method = ""
    if not whole.same_questions and whole.questions_per_attempt:
        method = t.gettext(
            "Learners answered different sets of questions: scores are percentages of each attempt's own points, "
            "and alpha counts each question's variance over the attempts that included it (%(k)s questions "
            "per attempt on average).") % {"k": l10n.fixed(whole.questions_per_attempt, 1)}
    return {
        "learners": whole.learners,
        "enough": whole.enough,
        "kr20": whole.kr20,
        "alpha_word": alpha_word(t, whole.alpha),
        "same_questions": whole.same_questions,
        "questions_per_attempt": whole.questions_per_attempt,
        "method_text": method,
        "figures": figures,
        "values": {f["key"]: f["value"] for f in figures},
        "distribution": groups,
    }


@l10n.one_language
def report(t, questions: list[Question], analysis: item_statistics.QuizAnalysis,
           multiple_scoring: str = ALL_OR_NOTHING, wrong: dict[str, list[tuple[str, int]]] | None = None,
           changed: dict[str, int] | None = None, whole: score_statistics.WholeTest | None = None,
           attempts: str = "last") -> dict:
    """The analysis of a quiz's current questions over one attempt set, ready for the template and the JSON reply.

    ``wrong``: the counted wrong answers per question (:func:`.item_totals.read`); text and numeric questions
    list their most frequent ones. ``changed``: per question, the counted answers graded against an earlier
    version of it (its key, options or points changed since). Both concern the counted (last) attempts and
    are given for that set only. ``whole``: the set's whole-test figures (:mod:`..insight.score_statistics`)."""
    wrong = wrong or {}
    changed = changed or {}
    once = _Once(t)
    not_enough = t.gettext("not enough data")
    by_id = {q.id: q for q in questions}
    if whole is None:
        whole = score_statistics.analyse(score_statistics.QuizTotals(), {}, [q.id for q in questions])
    rows = []
    for number, stats in enumerate(analysis.items, start=1):
        question = by_id[stats.id]
        labels = option_labels(t, question)
        keyed = _keyed(question)
        typed = wrong.get(question.id, []) if question.type in wrong_answers.TYPES else []
        listed, others = wrong_answer_rows(once, question, typed,
                                           once.gettext("Question %(number)s") % {"number": number}) \
            if question.type in wrong_answers.TYPES else ([], 0)
        extra = whole.questions.get(stats.id) or score_statistics.QuestionFigures(stats.id, None, None)
        guess = random_guess_score(question, multiple_scoring)
        rows.append({
            "number": number,
            "id": stats.id,
            "label": t.gettext("Question %(number)s") % {"number": number},
            "prompt": _short(author_text(question.prompt)),
            # the whole text, for a label that had to be cut (the panel lets staff unfold it)
            "prompt_full": " ".join(author_text(question.prompt).split()),
            "prompt_cut": len(" ".join(author_text(question.prompt).split())) > LABEL_LENGTH,
            "dimension": stats.dimension,
            "dimension_label": dimensions.label(stats.dimension, t.gettext),
            "learners": stats.learners,
            "difficulty": stats.difficulty,
            "difficulty_text": _percent(t, stats.difficulty) or not_enough,
            "partial_credit": partial_credit(question, multiple_scoring),
            "mean_score": stats.mean_score,
            "mean_score_text": _percent(t, stats.mean_score) or not_enough,
            "point_biserial": stats.point_biserial,
            "point_biserial_text": _coefficient(stats.point_biserial) or not_enough,
            "upper_lower": stats.upper_lower,
            "upper_lower_text": _coefficient(stats.upper_lower) or not_enough,
            "discrimination_word": discrimination_word(t, stats.point_biserial),
            "authored": question.type in ("single", "multiple"),  # option labels in the content's language
            "options": [
                {"id": option, "label": labels.get(option, option), "share": share, "share_text": _percent(t, share),
                 "correct": option in keyed}
                for option, share in stats.option_shares.items()
            ],
            "top_wrong_option": stats.top_wrong_option,
            "top_wrong_label": labels.get(stats.top_wrong_option, "") if stats.top_wrong_option else "",
            "hints": list(stats.hints),
            "hint_texts": hint_texts(t, stats, labels, keyed),
            "changed_answers": changed.get(stats.id, 0),
            "changed_text": t.ngettext(
                "Its key, options or points changed after %(count)s counted answer was graded: that learner keeps "
                "the score they have until they are rescored, and the figures mix both versions until then.",
                "Its key, options or points changed after %(count)s counted answers were graded: those learners keep "
                "the scores they have until they are rescored, and the figures mix both versions until then.",
                changed.get(stats.id, 0)) % {"count": l10n.number(changed.get(stats.id, 0))}
            if changed.get(stats.id) else "",
            "type": question.type,
            "answers_typed": question.type in wrong_answers.TYPES,
            "wrong_answers": listed,
            # every counted value (the panel lists the most frequent), and the learners counted among the others
            "wrong_answers_counted": [{"value": value, "count": count} for value, count in typed
                                      if value != wrong_answers.OTHER],
            "other_wrong_counted": sum(count for value, count in typed if value == wrong_answers.OTHER),
            "other_wrong": others,
            "other_wrong_text": t.ngettext("Other wrong answers: %(count)s learner",
                                           "Other wrong answers: %(count)s learners",
                                           others) % {"count": l10n.number(others)} if others else "",
                        "discriminative_efficiency": extra.discriminative_efficiency,
            "discriminative_efficiency_text": _one_decimal_percent(t, extra.discriminative_efficiency) or not_enough,
            "random_guess": guess,
            "random_guess_text": _percent(t, guess) or t.gettext("not computed"),
            "alpha_if_removed": extra.alpha_if_removed,
            "alpha_if_removed_text": _coefficient(extra.alpha_if_removed) or not_enough,
        })
    dims = [{
        "dimension": d.dimension,
        "label": dimensions.label(d.dimension, t.gettext),
        "questions": d.questions,
        "learners": d.learners,
        "difficulty": d.difficulty,
        "difficulty_text": _percent(t, d.difficulty) or not_enough,
        "point_biserial": d.point_biserial,
        "point_biserial_text": _coefficient(d.point_biserial) or not_enough,
        "upper_lower": d.upper_lower,
        "upper_lower_text": _coefficient(d.upper_lower) or not_enough,
        "score_share": d.score_share,
        "score_share_text": _percent(t, d.score_share) or not_enough,
        "flagged": sum(1 for r in rows if r["dimension"] == d.dimension and r["hints"]),
    } for d in analysis.dimensions]
    return {
        "attempts": attempts,
        "attempt_choices": attempt_choices(t, attempts),
        "learners": analysis.learners,
        "enough": analysis.enough,
        "min_learners": item_statistics.MIN_LEARNERS,
        "summary": summary_text(t, attempts, analysis.learners),
        "whole_test": whole_test_report(t, whole),
        "not_enough_text": "" if analysis.enough else t.gettext(
            "Not enough data yet: discrimination needs at least %(min)s learners, and this quiz has %(count)s."
        ) % {"min": item_statistics.MIN_LEARNERS, "count": l10n.count(analysis.learners)},
        "items": rows,
        "dimensions": dims,
        "flagged": sum(1 for r in rows if r["hints"]),
        "changed": sum(1 for r in rows if r["changed_answers"]),
    }


def _keyed(question: Question) -> set[str]:
    if question.type == "truefalse":
        return set() if question.answer is None else {"true" if question.answer else "false"}
    return set(question.correct_choice_ids())


def csv_header(t) -> list[str]:
    return [t.gettext("Question"), t.gettext("Question id"), t.gettext("Decent Work dimension"), t.gettext("Learners"),
            t.gettext("Full credit (share)"), t.gettext("Mean score (share of the points)"),
            t.gettext("Point-biserial"), t.gettext("Upper-lower index"),
            t.gettext("Discriminative efficiency (%)"), t.gettext("Random guess score (share of the points)"),
            t.gettext("Cronbach's alpha if the question were removed"),
            t.gettext("Option"), t.gettext("Option id"), t.gettext("Chosen by (share)"), t.gettext("Correct option"),
            t.gettext("Most chosen wrong option"), t.gettext("What to check"),
            t.gettext("Wrong answer"), t.gettext("Learners who gave it"), t.gettext("Other wrong answers (learners)")]


def wrong_answer_cell(question_type: str, value: str):
    """A counted wrong answer as a CSV cell: a number as a number (a point for decimals, whatever the
    reader's language), a text as grading compares it (the CSV writer keeps it from running as a formula)."""
    if question_type == "numeric":
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return value


def csv_rows(t, data: dict):
    """One row per option of each choice question, one row per counted wrong answer of a text or numeric
    question (one row when it has none), one row for any other question, then the whole test.

    Figures are numbers; a figure without enough data is the words "not enough data", as in the panel.
    Wrong answers are counted for the counted (last) attempts only: the CSV of another set leaves them out."""
    not_enough = t.gettext("not enough data")

    def number(value):
        return not_enough if value is None else round(value, 4)

    for row in data["items"]:
        common = [row["label"], row["id"], row["dimension_label"], row["learners"], number(row["difficulty"]),
                  number(row["mean_score"]), number(row["point_biserial"]), number(row["upper_lower"]),
                  number(row["discriminative_efficiency"]),
                  t.gettext("not computed") if row["random_guess"] is None else round(row["random_guess"], 4),
                  number(row["alpha_if_removed"])]
        tail = [row["top_wrong_label"], " ".join(row["hint_texts"])]
        no_wrong = ["", "", ""]
        if row["answers_typed"] and data["attempts"] == "last":
            other = row["other_wrong_counted"]
            answers = [[wrong_answer_cell(row["type"], wrong["value"]), wrong["count"], other]
                       for wrong in row["wrong_answers_counted"]] or [["", "", other]]
        else:
            answers = [no_wrong]
        if not row["options"]:
            for wrong in answers:
                yield [*common, "", "", "", "", *tail, *wrong]
        for option in row["options"]:
            yield [*common, option["label"], option["id"], number(option["share"]),
                   t.gettext("yes") if option["correct"] else t.gettext("no"), *tail, *no_wrong]
    # Then the whole test, one figure a row: "Whole test", what the figure is, its value.
    whole = data["whole_test"]
    part = t.gettext("Whole test")
    yield [part, t.gettext("Which attempts"), summary_text(t, data["attempts"], data["learners"])]
    for figure in whole["figures"]:
        yield [part, figure["label"], number(figure["value"])]
    for group in whole["distribution"]:
        yield [part, t.gettext("Attempts scoring %(group)s") % {"group": group["label"]}, group["count"]]
