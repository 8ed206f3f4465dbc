"""What the profile block shows: the learner's chart and table rows, and the staff histogram.

Every text is translated here; the template only places it. The chart is HTML (text wraps on a
narrow screen, so labels never overlap): one row per dimension, the bar's length in proportion to
the points the dimension offers (a 1-point dimension gets a short bar, and a sentence under the chart
says so), the filled part the learner's share, a mark at the cohort median.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from .. import l10n
from ..dimensions import DIMENSION_IDS, label
from ..i18n import gettext_noop as _
from .arithmetic import Profile, not_started_text, points_text
from .cohort import HISTOGRAM_BINS, Figures
from .scope import SECTION

# The shortest bar drawn for a dimension that offers points (percent of the longest bar).
MIN_TRACK = 20
# A median is shown to learners only when at least this many learners attempted the dimension.
MIN_COHORT = 5

SCOPE_TEXTS = {
    "course": {
        "intro": _("Points you have earned in this course's quizzes and case studies, for each dimension of the ILO "
                   "Decent Work Agenda. Activities you have not attempted yet count in the points possible."),
        "none": _("No points in this course"),
        "empty": _("This course has no graded SSE activity yet, so there is no profile to show."),
    },
    "section": {
        "intro": _("Points you have earned in this section's quizzes and case studies, for each dimension of the ILO "
                   "Decent Work Agenda. Activities you have not attempted yet count in the points possible."),
        "none": _("No points in this section"),
        "empty": _("This section has no graded SSE activity, so there is no profile to show."),
    },
}


def scope_texts(scope: str, gettext) -> dict:
    texts = SCOPE_TEXTS.get(scope, SCOPE_TEXTS["course"])
    return {key: gettext(value) for key, value in texts.items()}


# Results an activity holds back from the learner (the platform's ``show_correctness``): left out of the profile.
HIDDEN_INTRO = _("Some of your results are not shown yet, so this profile does not count them:")
HIDDEN_AFTER = _("%(name)s: shown and counted here after its due date, %(when)s.")
HIDDEN_NEVER = _("%(name)s: this activity does not show results, so it is not counted here.")
HIDDEN_ALL = _("Your results here are not shown yet, so there is no profile to show.")
HIDDEN_VALUE = _("Not counted: results not shown yet")
HIDDEN_MEDIAN = _("Cohort median: not shown while some of your results here are not shown")


def hidden_results(hidden, gettext, zone: str | None = None) -> list[str]:
    """One sentence per activity whose results are held back from the learner: when they will be shown
    (the due date in the reader's language and time zone), or that they never are."""
    lines = []
    for item in hidden:
        name = item.name or gettext("An activity")
        if item.after is not None:
            lines.append(gettext(HIDDEN_AFTER) % {"name": name, "when": l10n.in_words(gettext, item.after, zone)})
        else:
            lines.append(gettext(HIDDEN_NEVER) % {"name": name})
    return lines


def median_text(figures: Figures | None, dimension: str, gettext, comparable: bool = True,
                held: bool = False) -> str:
    if figures is None:
        return ""
    if held:
        return gettext(HIDDEN_MEDIAN)
    if not comparable:
        return gettext("Cohort median: not shown, as learners here have different activities")
    item = next(d for d in figures.dimensions if d.dimension == dimension)
    if item.median is None or item.learners < MIN_COHORT:
        return gettext("Cohort median: shown once %(count)s learners have points here") % {"count": MIN_COHORT}
    return gettext("Cohort median: %(percent)s") % {"percent": l10n.percentage(item.median)}


def learner_rows(profile: Profile, figures: Figures | None, scope: str, translator,
                 scope_possible: Mapping[str, float] | None = None,
                 hidden_possible: Mapping[str, float] | None = None) -> list[dict]:
    """One row per dimension with its texts and the bar's geometry (whole percentages).

    The cohort's median is over every point the scope offers on a dimension (``scope_possible``);
    where the learner may see only part of them (another cohort's or track's activities, a section
    not started) or also counts what a problem bank drew for them, their percentage and the median are not of the same points, so no median is
    shown on that dimension and its line says why. Where some of the learner's results are not shown
    yet (``hidden_possible``: the points of those activities, left out of the profile), the line says
    that instead; a dimension with no other points says it is not counted yet, not that the scope
    offers none.
    """
    gettext = translator.gettext
    none_text = scope_texts(scope, gettext)["none"]
    longest = max((line.possible for line in profile.lines), default=0.0)
    rows = []
    for line in profile.lines:
        item = next((d for d in figures.dimensions if d.dimension == line.dimension), None) if figures else None
        held = bool(hidden_possible) and hidden_possible.get(line.dimension, 0.0) > 1e-9
        comparable = scope_possible is None or abs(scope_possible.get(line.dimension, 0.0) - line.possible) < 1e-9
        show_median = (comparable and not held and item is not None and item.median is not None
                       and item.learners >= MIN_COHORT)
        if not line.counts and held:
            value = gettext(HIDDEN_VALUE)
        elif not line.counts:
            value = none_text
        elif not line.attempted:
            value = not_started_text(line.possible, translator)
        else:
            value = points_text(line.earned, line.possible, translator)
        track = 0
        if line.counts and longest > 0:
            track = max(MIN_TRACK, int(line.possible / longest * 100 + 0.5))
        rows.append({
            "id": line.dimension,
            "label": label(line.dimension, gettext),
            "counts": line.counts,
            "attempted": line.attempted,
            "value": value,
            "earned_text": l10n.number(line.earned),
            "possible_text": l10n.number(line.possible),
            "percent_text": l10n.percentage(line.percent) if line.counts else value,
            "median_text": median_text(figures, line.dimension, gettext, comparable, held) if line.counts else "",
            "median": item.median if show_median else None,
            "median_percent": l10n.percentage(item.median) if show_median else "",
            "track": track,
            "fill": line.percent,
        })
    return rows


def overall_text(profile: Profile, translator) -> str:
    if not profile.attempted:
        return not_started_text(profile.possible, translator)
    return points_text(profile.earned, profile.possible, translator)


# Banked activities count as each learner drew them (see ``ScopeIndex.with_drawn``); the cohort median of a
# dimension they award points on is then not shown, with the wording of any other difference in activities.
BANKED_TEXT = _("Quizzes and case studies in a problem bank count here as each learner drew them: only those you "
                "were given count in your points, so learners' points possible can differ.")


# Instead of "no graded SSE activity" when the scope's only points are in problem banks and none counts yet.
BANKED_EMPTY = _("The quizzes and case studies here are in a problem bank: they count once a learner is given "
                 "them, so there is no profile to show yet.")


def banked_text(count: int, translator) -> str:
    """Says that the scope's quizzes and case studies in a problem bank count as each learner drew them
    (``count``: how many the scope's banks hold; nothing is said without any)."""
    if not count:
        return ""
    return translator.gettext(BANKED_TEXT)


def histogram(figures: Figures, gettext) -> dict:
    """The staff histogram: one column per dimension, one row per 10-point band of percent."""
    bands = []
    for index in range(HISTOGRAM_BINS):
        low = index * 100 // HISTOGRAM_BINS
        high = 100 if index == HISTOGRAM_BINS - 1 else (index + 1) * 100 // HISTOGRAM_BINS - 1
        bands.append(f"{l10n.number(low)}–{l10n.percentage(high)}")
    peak = max((count for d in figures.dimensions for count in d.histogram), default=0) or 1
    columns = []
    for item in figures.dimensions:
        columns.append({
            "id": item.dimension,
            "label": label(item.dimension, gettext),
            "learners": item.learners,
            "median_text": l10n.percentage(item.median) if item.median is not None else "–",
        })
    rows = []
    for index, band in enumerate(bands):
        cells = []
        for item in figures.dimensions:
            count = item.histogram[index]
            cells.append({"count": count, "width": int(count / peak * 100 + 0.5)})
        rows.append({"band": band, "cells": cells})
    rows.reverse()  # the best band first, as a reader scans a distribution from the top
    return {"columns": columns, "rows": rows, "learners": figures.learners, "as_of": as_of_text(figures)}


def as_of_text(figures: Figures) -> str:
    """When cached figures were counted, in UTC (the browser shows it in the reader's time zone)."""
    if figures.as_of is None:
        return ""
    return l10n.fallback_when(datetime.fromtimestamp(figures.as_of, tz=timezone.utc))


__all__ = ["learner_rows", "overall_text", "banked_text", "histogram", "scope_texts", "hidden_results",
           "DIMENSION_IDS"]
