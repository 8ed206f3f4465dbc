"""Test settings: the workbench settings with a throwaway SQLite file unless SSE_DB names a server."""

import os
import tempfile

from .workbench import *  # noqa: F401,F403
from .databases import database_config

DATABASES = {"default": database_config(os.path.join(tempfile.gettempdir(), "sse-academy-test.db"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The platform's own packaged apps, run by the contract tests where the LMS would run them: edx-completion
# (its receiver of the grade signal writes BlockCompletion rows; its switch is django-waffle's),
# edx-when (personalised due dates, read through ``edx_when.field_data.DateLookupFieldData``) and
# event-routing-backends (it turns our tracking events into xAPI statements, as it does for Aspects).
INSTALLED_APPS = [*INSTALLED_APPS, "waffle", "completion", "edx_when", "event_routing_backends"]  # noqa: F405

# A profile scope met for the first time is counted at once, so that a test's first render shows the figures
# (Open edX and the workbench count it outside the request: ``SSE_PROFILE_COHORT_BUILD``).
SSE_PROFILE_COHORT_BUILD = "now"
