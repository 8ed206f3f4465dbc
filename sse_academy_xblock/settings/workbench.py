"""Workbench settings: the XBlock SDK's own, plus edx-submissions and our app, listing only our blocks."""

import os
from importlib.metadata import entry_points

from workbench.settings import *  # noqa: F401,F403
from workbench.settings import INSTALLED_APPS, LOGGING, MIDDLEWARE, TEMPLATES, WORKBENCH

from ..resources import asset_dir
from .databases import database_config

VAR_DIR = os.path.abspath(os.environ.get("SSE_VAR_DIR", "var"))
os.makedirs(VAR_DIR, exist_ok=True)

OUR_BLOCKS = {"sse_quiz", "sse_case_study", "sse_module"}
# The workbench index lists every installed block's scenarios; show ours alone.
EXCLUDED_XBLOCKS = {ep.name for ep in entry_points(group="xblock.v1")} - OUR_BLOCKS

INSTALLED_APPS = [*INSTALLED_APPS, "submissions", "sse_academy_xblock"]

DATABASES = {"default": database_config(os.path.join(VAR_DIR, "workbench.db"))}

LOGGING["handlers"]["logfile"]["filename"] = os.path.join(VAR_DIR, "workbench.log")
# What a block publishes (grade events above all: what the LMS gradebook would receive), one file.
LOGGING["handlers"]["events"] = {"level": "INFO", "class": "logging.FileHandler",
                                 "filename": os.path.join(VAR_DIR, "workbench-events.log")}
LOGGING["loggers"]["workbench.runtime"] = {"level": "INFO", "handlers": ["events"], "propagate": False}

WORKBENCH = {**WORKBENCH, "reset_state_on_restart": False}

# Workbench users (``?student=<id>``) who act as course staff. Absent from this list means learner.
SSE_WORKBENCH_STAFF_USERS = ("staff", "instructor")

LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "django.middleware.locale.LocaleMiddleware")
# A handler body over the limit gets our JSON 413, not Django's text 400 (see the module).
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
                  "sse_academy_xblock.settings.middleware.HandlerBodyLimitMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Our scenario page replaces the SDK's, whose debug panel prints every field, answer keys included.
TEMPLATES = [dict(TEMPLATES[0], DIRS=[str(asset_dir("templates")), *TEMPLATES[0]["DIRS"]])]
