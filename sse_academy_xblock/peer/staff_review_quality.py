"""What staff read of peer-review agreement: the "Review quality" section and the reviewers' CSV.

Read from the counters :mod:`.agreement_totals` keeps at grading time, so the page costs a fixed
number of statements whatever the size of the course: one read of the block's criterion rows, one
keyset read of a page of reviewers, one look-up of usernames inside Open edX. The formulas are in
docs/insight.md ("Peer-review agreement").
"""

from __future__ import annotations

from operator import attrgetter

from django.db.models import Subquery

from .. import keyset
from ..i18n import gettext_noop as _
from ..insight import agreement_statistics
from .agreement_totals import cell_pair
from .config import PeerItem
from .feedback import ratings_by_reviewer
from .models import CriterionAgreement, ReviewerAgreement
from .staff import usernames_for

PER_PAGE = 25
MAX_PER_PAGE = 100


def criteria_summary(item: PeerItem) -> list[dict]:
    """Per criterion of the rubric: ordinal alpha with the responses and reviews it rests on (one query).

    Criteria that older rubric versions had and the current one lacks follow, under their stored name.
    """
    rows = {row.criterion_name: row for row in CriterionAgreement.objects.filter(usage_id=item.usage_id)}
    ordered = [(c.name, c.label) for c in item.rubric.criteria]
    ordered += [(name, name) for name in sorted(rows) if name not in {n for n, _l in ordered}]
    result = []
    for name, label in ordered:
        row = rows.get(name)
        if row is None:
            alpha = agreement_statistics.Alpha(None, 0, 0)
            reviews = 0
        else:
            alpha = agreement_statistics.alpha_from_coincidences(
                {cell_pair(key): float(weight) for key, weight in (row.cells or {}).items()}, row.units
            )
            reviews = row.reviews
        enough = alpha.units >= agreement_statistics.MIN_UNITS_FOR_ALPHA and alpha.value is not None
        result.append({
            "name": name, "label": label, "units": alpha.units, "reviews": reviews,
            "alpha": round(alpha.value, 3) if enough else None, "enough": enough,
            "verdict": agreement_statistics.alpha_verdict(alpha.value) if enough else None,
        })
    return result


def _reviewer_row(row: ReviewerAgreement, names: dict, ratings: dict) -> dict:
    standing = agreement_statistics.ReviewerStanding(row.reviewer_id, row.reviews, row.mean_distance)
    helpful, rated = ratings.get(row.reviewer_id, (0, 0))
    return {
        "id": row.pk,
        "reviewer": names.get(row.reviewer_id) or row.reviewer_id,
        "anonymous_id": row.reviewer_id,
        "reviews": row.reviews,
        "mean_distance": round(row.mean_distance, 3),
        "weight": round(agreement_statistics.agreement_weight(standing), 2),
        "weighted": row.reviews >= agreement_statistics.MIN_REVIEWS_FOR_WEIGHT,
        "rated": rated,
        "rated_helpful": helpful,
    }


# The reviewers' order, most distant from the others first, then newest row first, on the index
# (usage_id, mean_distance, id); a row is named by its id.
REVIEWER_KEY = keyset.Key("usage_id", ("mean_distance", "id"), descending=True)


def _edge(item: PeerItem, reviewer_row: int | None) -> tuple | None:
    """The key of the row ``reviewer_row``: its distance, read by a subquery of the page's statement, and its id."""
    if reviewer_row is None:
        return None
    rows = ReviewerAgreement.objects.filter(usage_id=item.usage_id, pk=reviewer_row)
    return Subquery(rows.values("mean_distance")[:1]), reviewer_row


def reviewers_page(item: PeerItem, after: int | None = None, before: int | None = None,
                   per_page: int = PER_PAGE, page: int = 1) -> dict:
    """One page of the block's reviewers, most distant from the others first (then newest row first).

    Keyset pagination on the index (usage_id, mean_distance, id): ``after`` is the last row of the page
    shown, ``before`` its first; the row's distance is read by a subquery in the same statement, and the
    plain bound ``mean_distance <= that distance`` (besides the exact keyset condition) lets every database
    start the index range there: a page is one range read with ``LIMIT`` (no count, no offset) whatever the page.
    """
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    qs = ReviewerAgreement.objects.filter(keyset.in_block("usage_id", item.usage_id))
    found = REVIEWER_KEY.page(qs, per_page, after=_edge(item, after), before=_edge(item, before),
                              cursor=attrgetter("pk"))
    rows = found.rows
    page = max(1, int(page)) if found.has_prev else 1
    names = usernames_for({r.reviewer_id for r in rows}) if rows else {}
    ratings = ratings_by_reviewer(item, [r.reviewer_id for r in rows])
    return {
        "rows": [_reviewer_row(r, names, ratings) for r in rows], "page": page, "per_page": per_page,
        "has_prev": found.has_prev, "has_next": found.has_next, "first": found.first, "last": found.last,
    }


def summary(item: PeerItem, after: int | None = None, before: int | None = None, page: int = 1) -> dict:
    """Everything the "Review quality" section shows."""
    return {
        "criteria": criteria_summary(item),
        "reviewers": reviewers_page(item, after=after, before=before, page=page),
        "min_units": agreement_statistics.MIN_UNITS_FOR_ALPHA,
        "min_reviews": agreement_statistics.MIN_REVIEWS_FOR_WEIGHT,
        "weighting_on": bool(item.weight_by_agreement),
    }


# The reviewers' CSV: one (header, value) pair per column, so a column is one line to add. Headers are the
# panel's ("Review quality"), translated where the file is made; the weight's header says, as the panel's
# does, whether weighting is on. Shares (the mean distance) are numbers between 0 and 1.
WEIGHT_ON, WEIGHT_OFF = _("Weight in peer grades"), _("Weight if weighting were on")
CSV_COLUMNS = (
    (_("Reviewer"), lambda row: row["reviewer"]),
    (_("Anonymous learner id"), lambda row: row["anonymous_id"]),
    (_("Comparable reviews"), lambda row: row["reviews"]),
    (_("Mean distance from the others"), lambda row: row["mean_distance"]),
    (WEIGHT_OFF, lambda row: row["weight"]),
    (_("Ratings received"), lambda row: row["rated"]),
    (_("Rated helpful by the authors"), lambda row: row["rated_helpful"]),
)


def csv_header(item: PeerItem | None = None, gettext=lambda text: text) -> list[str]:
    weighting_on = bool(item and item.weight_by_agreement)
    return [gettext(WEIGHT_ON if name == WEIGHT_OFF and weighting_on else name) for name, _value in CSV_COLUMNS]


def csv_rows(item: PeerItem, chunk_size: int = 500):
    """Every reviewer of the block, most distant first, one keyset read per ``chunk_size`` rows."""
    after = None
    while True:
        page = reviewers_page(item, after=after, per_page=min(chunk_size, MAX_PER_PAGE))
        for row in page["rows"]:
            yield [value(row) for _name, value in CSV_COLUMNS]
        if not page["has_next"]:
            return
        after = page["last"]
