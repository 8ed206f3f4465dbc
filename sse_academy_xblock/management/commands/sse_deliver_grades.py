"""``manage.py sse_deliver_grades``: deliver the case study's pending grades to the gradebook, or check it.

Without options, every outbox row (``GradeDelivery``) whose next attempt is due is delivered, oldest
first (:func:`sse_academy_xblock.peer.gradebook.deliver_due`); ``--all`` takes the pending rows whose
backoff has not run out as well. With ``--check``, nothing is sent: each learner's latest recorded
grade is compared with edx-submissions' latest score (:func:`~sse_academy_xblock.peer.gradebook.reconcile`)
and every difference is printed, one line each. ``--block`` limits either to one block (usage id).
The exit status is 0 when everything is delivered (or, with ``--check``, when nothing differs) and 1
otherwise, for a cron job or a Tutor job to report. See docs/operations.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...peer import gradebook


class Command(BaseCommand):
    help = ("Deliver the case study's pending grades to edx-submissions (retrying failed deliveries), or with "
            "--check compare our final grades with edx-submissions' latest scores.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="Send nothing; list every learner whose edx-submissions score differs from ours.")
        parser.add_argument("--all", action="store_true",
                            help="Deliver every pending grade now, also those waiting for their next attempt.")
        parser.add_argument("--block", default=None, help="Only this block (usage id).")

    def handle(self, *args, **options):
        if options["check"]:
            return self._check(options["block"])
        delivered, failed = gradebook.deliver_due(options["block"], limit=None, waiting=options["all"])
        self.stdout.write(f"delivered: {delivered}, still pending: {failed}")
        if failed:
            raise CommandError(f"{failed} grade(s) could not be delivered; they are tried again later.",
                               returncode=1)
        return None

    def _check(self, block):
        differences = 0
        for diff in gradebook.reconcile(block):
            differences += 1
            self.stdout.write(
                f"{diff.usage_id}\t{diff.anonymous_user_id}\tsubmission {diff.submission_id}\t"
                f"ours {_points(diff.expected)}\tedx-submissions {_points(diff.found)}\tdelivery {diff.state}")
        self.stdout.write(f"differences: {differences}")
        if differences:
            raise CommandError(f"{differences} learner(s) have a score in edx-submissions that differs from ours.",
                               returncode=1)


def _points(value) -> str:
    return "none" if value is None else f"{value[0]}/{value[1]}"
