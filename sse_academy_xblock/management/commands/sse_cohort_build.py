"""``manage.py sse_cohort_build``: count the Decent Work profile scopes registered but not counted yet.

A profile's render registers a scope it meets for the first time (a new profile, or a publish that
changed the graded blocks of its scope or their points) and, by default, counts it in a thread after the
request; with ``SSE_PROFILE_COHORT_BUILD = "command"`` that count is left to this command (a cron job
or a Tutor job). Each pending scope is counted from the score table, oldest first; the exit status is
0 when every pending scope was counted. See docs/operations.md.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ...profile import cohort_store


class Command(BaseCommand):
    help = "Count the Decent Work profile scopes registered but not counted yet (their cohort figures)."

    def handle(self, *args, **options):
        pending = cohort_store.pending()
        failed = 0
        for scope_id in pending:
            try:
                cohort_store.build(scope_id)
            except Exception as error:  # noqa: BLE001 - report and go on with the other scopes
                failed += 1
                self.stderr.write(f"scope {scope_id}: {error}")
        self.stdout.write(f"{len(pending) - failed} scope(s) counted, {failed} failed")
        if failed:
            raise CommandError(f"{failed} scope(s) could not be counted")
