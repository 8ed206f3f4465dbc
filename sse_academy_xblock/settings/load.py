"""Settings of the multi-process load run (``make bench-load``): the workbench on a server database, as a
production deployment runs it: several worker processes sharing one Redis cache (Tutor runs Redis for the
LMS cache), ``DEBUG`` off and no statement logging.

``SSE_DB`` names the database (``postgresql`` for the load run; see :mod:`.databases`). ``SSE_REDIS_URL`` is
the cache's address, ``redis://127.0.0.1:6379/3`` unless set; Django's own Redis backend needs only the
``redis`` package. What the blocks cache (the profile's scope walk, per course version) lives in this cache,
so every process shares it; the profile's cohort figures are kept in the database (``profile/cohort_store.py``).
"""

import os

from .workbench import *  # noqa: F401,F403
from .workbench import LOGGING

REDIS_URL = os.environ.get("SSE_REDIS_URL", "redis://127.0.0.1:6379/3")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sse",
        "TIMEOUT": 300,
    }
}

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Nothing per request in the log files (Django's DEBUG lines, the grade events of every submit): they would be
# timed with the requests. Warnings and errors still reach the console.
LOGGING = {**LOGGING, "loggers": {
    **LOGGING["loggers"],
    "django": {**LOGGING["loggers"].get("django", {}), "level": "WARNING"},
    "workbench.runtime": {**LOGGING["loggers"]["workbench.runtime"], "level": "WARNING"},
}}
