"""The case study's Studio editor and ``validate()`` warnings.

The editor sends the whole block (settings, case, prompt, rubric) in one request; it is checked as
a whole and saved all or nothing, with every error reported. Changing the rubric after learners
have submitted is allowed and safe: each submission keeps the rubric version it was submitted
under (``peer.models.RubricVersion``), so grades already given, and reviews in progress, keep
their meaning; the new rubric applies to responses submitted from then on.
"""

from __future__ import annotations

from datetime import timezone

from xblock.validation import ValidationMessage

from .. import dimensions, l10n, markup, platform, typed_numbers
from ..i18n import gettext_noop as _
from ..insight.agreement_statistics import MIN_REVIEWS_FOR_WEIGHT
from ..peer.authoring import MAX_HTML, SETTING_NAMES, settings_warnings, validate_payload
from ..peer.calibration_examples import MAX_EXAMPLES, MAX_NOTE
from ..peer.models import PeerSubmission
from ..peer.rubric import MAX_TEXT, Rubric, rubric_warnings
from .mixins import editor_errors, json_api, number_echo

# A Problem Bank shows each learner a random subset of its components: a case study in one has only the learners
# who drew it as authors and reviewers.
IN_PROBLEM_BANK = _("This case study is inside a problem bank, which shows it to some learners only: only they "
                    "write and review responses, so fewer reviewers are available and responses may wait longer "
                    "for their reviews. Place the case study directly in a unit so that every learner takes part.")

DEFAULT_RUBRIC = [
    {
        "name": "analysis",
        "label": _("Analysis of the case"),
        "description": "",
        "options": [
            {"label": _("Missing"), "points": 0, "explanation": _("Does not analyse the case.")},
            {"label": _("Partial"), "points": 2, "explanation": _("Describes the case but explains little.")},
            {"label": _("Strong"), "points": 4, "explanation": _("Explains causes, choices and consequences.")},
        ],
    },
    {
        "name": "decent_work",
        "label": _("Use of the Decent Work framework"),
        "description": "",
        "options": [
            {"label": _("Absent"), "points": 0, "explanation": _("No link to the Decent Work Agenda.")},
            {"label": _("Present"), "points": 2, "explanation": _("Links the case to at least one dimension.")},
            {"label": _("Thorough"), "points": 4, "explanation": _("Uses the dimensions to explain the case.")},
        ],
    },
]


def studio_strings(t) -> dict:
    return {
        "pair": t.gettext("%(label)s: %(value)s"),
        "saving": t.gettext("Saving…"),
        "saved": t.gettext("Saved."),
        "save_failed": t.gettext("The case study was not saved."),
        "warnings": t.gettext("Saved, with warnings:"),
        "criterion": t.gettext("Criterion %(number)s"),
        "option": t.gettext("Option %(number)s"),
        "name": t.gettext("Short name (letters, digits, - _ .)"),
        "label": t.gettext("Label"),
        "description": t.gettext("Description (optional)"),
        "points": t.gettext("Points"),
        "explanation": t.gettext("Explanation"),
        "fix_errors": t.gettext("The case study was not saved. Correct these fields:"),
        "meant_number": t.gettext("I meant %(number)s"),
        "add_option": t.gettext("Add an option"),
        "delete": t.gettext("Delete"),
        "move_up": t.gettext("Move up"),
        "move_down": t.gettext("Move down"),
        "no_criteria": t.gettext("No criteria yet."),
        "undo": t.gettext("Undo"),
        "criterion_deleted": t.gettext("Criterion %(criterion)s deleted, with its options."),
        "option_deleted": t.gettext("Option %(option)s of criterion %(criterion)s deleted."),
        "undo_criterion": t.gettext("Undo: put criterion %(criterion)s back"),
        "undo_option": t.gettext("Undo: put option %(option)s of criterion %(criterion)s back"),
        "failed": t.gettext("Something went wrong. Please try again."),
        "example": t.gettext("Practice example %(number)s"),
        "example_response": t.gettext("The example's response (plain text; an empty line between paragraphs)"),
        "example_reference": t.gettext("Reference option for “%(criterion)s”"),
        "example_choose": t.gettext("Choose the reference option"),
        "example_note": t.gettext("Why, for “%(criterion)s” (shown to learners after their assessment; optional)"),
        "add_example": t.gettext("Add a practice example"),
        "no_examples": t.gettext("No practice examples yet."),
        "no_criterion_name": t.gettext("Criterion %(number)s (no short name yet)"),
        "example_deleted": t.gettext("Practice example %(number)s deleted, with its references and notes."),
        "undo_example": t.gettext("Undo: put practice example %(number)s back"),
        "max_examples": t.gettext("A case study can have at most %(max)s practice examples."),
    }


def _examples_text(examples, convert):
    """The practice examples with their notes converted (markup to HTML, or back); anything else as it is."""
    if not isinstance(examples, list):
        return examples
    return [{**ex, "notes": {name: convert(note) if isinstance(note, str) else note
                             for name, note in ex["notes"].items()}}
            if isinstance(ex, dict) and isinstance(ex.get("notes"), dict) else ex for ex in examples]


def _rubric_text(rubric, convert, inline=None):
    """The rubric with its descriptions and explanations converted (markup to HTML, or back)."""
    if not isinstance(rubric, list):
        return rubric
    result = []
    for crit in rubric:
        if not isinstance(crit, dict):
            result.append(crit)
            continue
        crit = dict(crit)
        if isinstance(crit.get("description"), str):
            crit["description"] = convert(crit["description"])
        if isinstance(crit.get("options"), list):
            crit["options"] = [
                {**o, "explanation": (inline or convert)(o["explanation"])} if isinstance(o, dict) and isinstance(
                    o.get("explanation"), str) else o
                for o in crit["options"]]
        result.append(crit)
    return result


class CaseStudyStudioMixin:
    """Studio's editor view and save handler, and the warnings shown on the unit page."""

    def _existing_submissions(self) -> int:
        """Responses already submitted to this block (read only; Studio never writes our tables)."""
        try:
            return PeerSubmission.objects.filter(usage_id=platform.usage_id(self), cleared_at__isnull=True).count()
        except Exception:  # noqa: BLE001 - Studio without our tables must still open the editor
            return 0

    def studio_view(self, context=None):
        t = self.translator
        existing = self._existing_submissions()
        settings = {name: getattr(self, name) for name in SETTING_NAMES}
        # In the author's language ("0,5" in Spanish), never in a form the save would ask about ("1,1250").
        for name in ("weight", "lease_hours", "waiting_days", "divergence_threshold", "self_weight",
                     "calibration_tolerance"):
            settings[name] = "" if settings[name] is None else typed_numbers.written(settings[name], extra_places=1)
        settings["reviews_max"] = "" if settings["reviews_max"] is None else settings["reviews_max"]
        settings["review_share"] = l10n.percentage(round((settings["review_share"] or 0) * 100, 2))
        # A datetime-local field, read and written in UTC (as Studio's own date fields are).
        settings["review_due"] = "" if self.review_due is None else (
            self.review_due.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M"))
        due = self.deadline().due
        context = {
            "prefix": "ssecss-" + platform.usage_id(self).replace(".", "-")[-40:],
            "settings": settings,
            "case": markup.from_html(self.case),
            "prompt": markup.from_html(self.prompt),
            "markup_help": t.gettext(markup.HELP),
            "languages": l10n.language_choices(),
            "dimensions": dimensions.choices(t.gettext),
            "due_help": (t.gettext("Responses are due on %(when)s (in a course, the subsection's due date).") % {
                "when": l10n.fallback_when(due)} if due else t.gettext(
                "Responses have no due date (in a course, the subsection's due date).")),
            "weighting_help": t.gettext(
                "Off by default. When on, each criterion's grade is a weighted median: a reviewer who has given at "
                "least %(min)s comparable reviews weighs 1 minus their mean distance from the other reviewers (at "
                "least 0.1); others weigh 1."
            ) % {"min": MIN_REVIEWS_FOR_WEIGHT},
            "review_count_help": t.gettext(
                "Empty or equal to the reviews each response needs: a fixed count. Above it, a response is graded "
                "as soon as further reviews could not move any criterion's grade by more than the points set here "
                "(0: exactly the grade the most reviews would give); otherwise it asks for one more review at a "
                "time, up to this number, and then, if its reviews still diverge, goes to the staff queue."),
            "self_assessment_help": t.gettext(
                "After submitting, and until graded, learners may score their own response with the rubric. "
                "Counted: each criterion's grade is (1 - weight) x the peers' grade + weight x the learner's own "
                "points, a half rounded up; the best total stays the rubric's."),
            "review_share_help": t.gettext(
                "0 (the default) turns it off: the score is the response's grade. Otherwise, up to %(most)s "
                "(or a fraction, up to 0.5): the score is (1 - share) x the response's grade + share x the learner's "
                "grade for reviewing x the best total, a half point rounded up. The grade for reviewing is 1 minus "
                "the learner's mean distance from the other reviewers (as in Review quality), counted once one of "
                "their reviews can be compared; until then the score is the response's grade.") % {
                "most": l10n.percentage(50)},
            "calibration_help": t.gettext(
                "Off while 0. The examples are written below, under “Practice examples”."),
            "existing_text": t.ngettext(
                "%(n)s response has already been submitted. It keeps the rubric it was submitted with; "
                "a changed rubric applies to responses submitted from now on.",
                "%(n)s responses have already been submitted. They keep the rubric they were submitted with; "
                "a changed rubric applies to responses submitted from now on.", existing,
            ) % {"n": existing} if existing else "",
        }
        context["rubric"] = _rubric_text(self.rubric, markup.from_html)  # written with json_script (escaped), not in the init data
        # The practice examples and their references: authoring data, in the editor's page only (Studio is staff's).
        context["calibration"] = _examples_text(self.calibration or [], markup.from_html)
        context["max_examples"] = MAX_EXAMPLES
        init = {"strings": studio_strings(t)}
        return self.render_fragment(
            "case_study/studio.html", context, "SSECaseStudyStudio", init,
            css=("css/sse.css", "css/case-study.css"), js=("js/sse-editor.js", "js/case-study-studio.js"),
        )

    @json_api(authoring=True)
    def studio_read_number(self, data, suffix=""):
        """The editor's echo: the number a typed ``text`` will be saved as, in the author's language."""
        return number_echo(data, self.translator.gettext)

    @json_api(authoring=True)
    def studio_submit(self, data, suffix=""):
        """Save everything or nothing. Who may call it: see :func:`sse_academy_xblock.platform.may_author`."""
        t = self.translator
        data = {"content_language": self.content_language, "weight_by_agreement": self.weight_by_agreement,
                "in_profile": self.in_profile,
                "reviews_max": self.reviews_max, "agreement_points": self.agreement_points,
                "self_assessment": self.self_assessment, "self_weight": self.self_weight,
                "review_share": self.review_share,
                "calibration_count": self.calibration_count, "calibration_tolerance": self.calibration_tolerance,
                "calibration_retries": self.calibration_retries, **data}
        # A text over its limit is not converted (the validation refuses it as it is).
        for name in ("case", "prompt"):
            if isinstance(data.get(name), str):
                data[name] = markup.within(MAX_HTML, markup.to_html)(data[name])
        data["rubric"] = _rubric_text(data.get("rubric"), markup.within(MAX_TEXT, markup.to_html),
                                      markup.within(MAX_TEXT, markup.to_inline_html))
        if "calibration" in data:
            data["calibration"] = _examples_text(data["calibration"], markup.within(MAX_NOTE, markup.to_html))
        values, errors = validate_payload(data, due=self.deadline().due)
        if errors:
            messages = [_translate_error(t, e) for e in errors]
            # Numbers with two readings ("1.895"): the editor asks which was meant and sends "meant".
            doubts = [e["doubt"].as_json(t.gettext) for e in errors if "doubt" in e]
            return editor_errors(t.gettext("The case study was not saved."), messages,
                                 fields=[e["where"] for e in errors], ambiguous=doubts)
        for name, value in values.items():
            setattr(self, name, value)
        return {"saved": True, "warnings": self._warning_texts()}

    def _warning_texts(self) -> list[str]:
        t = self.translator
        rubric = Rubric.from_list(self.rubric)
        values = {name: getattr(self, name) for name in SETTING_NAMES}
        found = rubric_warnings(rubric) + settings_warnings(values, rubric.max_points, due=self.deadline().due,
                                                            examples=self.calibration, rubric=rubric)
        if platform.parent_type(self) in platform.PROBLEM_BANK_TYPES:
            found.append((IN_PROBLEM_BANK, None))
        return [t.gettext(message) % params if params else t.gettext(message) for message, params in found]

    def validate(self):
        result = super().validate()
        for text in self._warning_texts():
            result.add(ValidationMessage(ValidationMessage.WARNING, text))
        return result


# The editor's labels (the same sentences as templates/case_study/studio.html), so that an error names a
# setting the way the author sees it rather than by its OLX attribute.
FIELD_LABELS = {
    "display_name": _("Display name"),
    "dimension": _("Decent Work dimension"),
    "weight": _("Weight (points in the course grade; empty: the rubric's points)"),
    "min_words": _("Minimum words (0: none)"),
    "max_words": _("Maximum words (0: no limit)"),
    "reviews_required": _("Reviews each response needs"),
    "reviews_to_give": _("Reviews each learner gives"),
    "lease_hours": _("Hours a response stays reserved for its reviewer"),
    "waiting_days": _("Days before the waiting rule applies"),
    "waiting_rule": _("Waiting rule"),
    "content_language": _("Language of the text (case, prompt, rubric)"),
    "divergence_threshold": _("Divergence threshold (0 to 1, share of the best total)"),
    "weight_by_agreement": _("Weight reviewers by agreement"),
    "in_profile": _("Count in the Decent Work profile"),
    "review_due": _("Reviews due (UTC; empty: when responses are due)"),
    "reviews_max": _("Most reviews a response may receive (empty: the reviews it needs)"),
    "agreement_points": _("Points within which reviews agree"),
    "self_assessment": _("Self-assessment"),
    "self_weight": _("Weight of the self-assessment (0 to 0.5)"),
    "review_share": _("Share of the score for reviewing (a percentage or a fraction, at most one half; 0: off)"),
    "calibration_count": _("Practice examples each learner assesses before reviewing (0: none)"),
    "calibration_tolerance": _("Practice tolerance (0 to 1, share of the best total; 1: any assessment passes)"),
    "calibration_retries": _("Retries of a practice example"),
    "case": _("The case"),
    "prompt": _("The prompt"),
}


def _translate_error(t, error: dict) -> str:
    """An authoring error (an untranslated sentence with params) in the author's language."""
    sentence = error["message"]
    text = t.gettext(sentence)
    # A parameter that writes itself in the reader's language (a typed number's reading) does so.
    params = {name: value.translated(t.gettext) if callable(getattr(value, "translated", None)) else value
              for name, value in error["params"].items()}
    label = FIELD_LABELS.get(params.get("field"))
    if label:
        params["field"] = t.gettext("“%(label)s”") % {"label": t.gettext(label)}
    return text % params if params else text
