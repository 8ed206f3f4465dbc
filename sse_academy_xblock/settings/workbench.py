"""Workbench settings: the XBlock SDK's own, plus edx-submissions and our app, listing only our blocks."""

import os
from importlib.metadata import entry_points

from workbench.settings import *  # noqa: F401,F403
from workbench.settings import INSTALLED_APPS, LOGGING, MIDDLEWARE, TEMPLATES, WORKBENCH

from ..resources import asset_dir
from .databases import database_config

VAR_DIR = os.path.abspath(os.environ.get("SSE_VAR_DIR", "var"))
os.makedirs(VAR_DIR, exist_ok=True)

OUR_BLOCKS = {"sse_quiz", "sse_case_study", "sse_profile"}
# The workbench index lists every installed block's scenarios; show ours alone.
EXCLUDED_XBLOCKS = {ep.name for ep in entry_points(group="xblock.v1")} - OUR_BLOCKS

INSTALLED_APPS = [*INSTALLED_APPS, "submissions", "sse_academy_xblock"]

DATABASES = {"default": database_config(os.path.join(VAR_DIR, "workbench.db"))}

LOGGING["handlers"]["logfile"]["filename"] = os.path.join(VAR_DIR, "workbench.log")
# The SDK's logging sends everything under "django" to the log file, so `make run` printed no request lines.
# Show them in the console as Django's development server normally does.
LOGGING["formatters"] = {**LOGGING.get("formatters", {}), "django.server": {
    "()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}}
LOGGING["handlers"]["django.server"] = {"level": "INFO", "class": "logging.StreamHandler", "formatter": "django.server"}
LOGGING["loggers"]["django.server"] = {"handlers": ["django.server"], "level": "INFO", "propagate": False}
# A root handler of our own, for warnings and errors only. Without one, the first library that logs through the
# root logger (XBlock's parser does) installs Python's default handler with no level, and every SQL statement
# the "django" loggers pass up at DEBUG level was printed in the console of `make run`.
LOGGING["handlers"]["console_warnings"] = {"level": "WARNING", "class": "logging.StreamHandler"}
LOGGING["root"] = {"handlers": ["console_warnings"], "level": "WARNING"}
# What a block publishes (grade events above all: what the LMS gradebook would receive), one file.
LOGGING["handlers"]["events"] = {"level": "INFO", "class": "logging.FileHandler",
                                 "filename": os.path.join(VAR_DIR, "workbench-events.log")}
LOGGING["loggers"]["workbench.runtime"] = {"level": "INFO", "handlers": ["events"], "propagate": False}

# Blocks get our catalogs through the i18n service, as in the LMS (see settings/i18n_service.py).
WORKBENCH = {**WORKBENCH, "reset_state_on_restart": False,
             "services": {**WORKBENCH.get("services", {}),
                          "i18n": "sse_academy_xblock.settings.i18n_service.CatalogI18nService"}}

# Workbench users (``?student=<id>``) who act as course staff. Absent from this list means learner.
SSE_WORKBENCH_STAFF_USERS = ("staff", "instructor")

LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "django.middleware.locale.LocaleMiddleware")
# ?lang=fr|es|en switches the language (kept in Django's cookie); a handler body over the limit gets our JSON
# 413, not Django's text 400; a form body posted to a handler gets our JSON 415 before Django's CSRF check parses
# it. All three in settings/middleware.py.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
                  "sse_academy_xblock.settings.middleware.QueryLanguageMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 2,
                  "sse_academy_xblock.settings.middleware.HandlerBodyLimitMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 3,
                  "sse_academy_xblock.settings.middleware.HandlerFormBodyMiddleware")
# Django's default, which Open edX keeps too. edx-submissions' migrations create AutoField ids and its app sets
# no default of its own, so a project-wide BigAutoField made every `migrate` report that "submissions" had model
# changes not reflected in a migration. Our own app sets BigAutoField in its AppConfig.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Our scenario page replaces the SDK's, whose debug panel prints every field, answer keys included.
TEMPLATES = [dict(TEMPLATES[0], DIRS=[str(asset_dir("templates")), *TEMPLATES[0]["DIRS"]])]

# The Decent Work profile's cohort figures follow every score; a scope met for the first time (or changed
# by a publish) is counted in a thread after the request (the default, "thread"), or by
# ``manage.py sse_cohort_build`` ("command").
SSE_PROFILE_COHORT_BUILD = "thread"
