"""Django settings for running ORA2's peer allocation beside ours (``make bench-ora2``).

Only what ORA2's peer API needs: its assessment app, edx-submissions, auth. The database is the
one our benchmarks use (``SSE_DB``, ``SSE_DB_NAME``; the runner creates ``test_<name>``), so both
run on the same server with the same settings.
"""

import os
import tempfile

from sse_academy_xblock.settings.databases import database_config

SECRET_KEY = "bench-only"
USE_TZ = True
TIME_ZONE = "UTC"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "submissions",
    "openassessment.assessment",
    "openassessment.workflow",
]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {"default": database_config(os.path.join(tempfile.gettempdir(), "sse-academy-ora2-bench.db"))}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING_CONFIG = None
# The LMS's feature flags, which ORA2's grading reads: none set, so the peer score is the median (ORA2's default).
FEATURES = {}
