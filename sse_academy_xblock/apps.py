"""The Django app that holds cross-learner data (peer review, score tables) inside Open edX.

Registered in the LMS and Studio through the ``lms.djangoapp``/``cms.djangoapp`` entry points.
"""

from django.apps import AppConfig


class SSEAcademyConfig(AppConfig):
    name = "sse_academy_xblock"
    label = "sse_academy_xblock"
    verbose_name = "SSE Academy XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    # Signal receivers (user retirement) are added here when tables holding learner data exist.
    plugin_app: dict = {}
