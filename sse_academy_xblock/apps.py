"""The Django app that holds cross-learner data (peer review, score tables) inside Open edX.

Registered in the LMS and Studio through the ``lms.djangoapp``/``cms.djangoapp`` entry points.
"""

from django.apps import AppConfig


class SSEAcademyConfig(AppConfig):
    name = "sse_academy_xblock"
    label = "sse_academy_xblock"
    verbose_name = "SSE Academy XBlocks"
    default_auto_field = "django.db.models.BigAutoField"

    # The LMS connects our user-retirement receiver (see sse_academy_xblock/signals.py).
    plugin_app: dict = {
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals",
                "receivers": [
                    {
                        "receiver_func_name": "on_user_retired",
                        "signal_path": "openedx.core.djangoapps.user_api.accounts.signals.USER_RETIRE_LMS_MISC",
                        "dispatch_uid": "sse_academy_xblock.signals.on_user_retired",
                    }
                ],
            }
        }
    }
