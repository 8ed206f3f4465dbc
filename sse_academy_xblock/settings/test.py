"""Test settings: the workbench settings with a throwaway SQLite file unless SSE_DB names a server."""

import os
import tempfile

from .workbench import *  # noqa: F401,F403
from .databases import database_config

DATABASES = {"default": database_config(os.path.join(tempfile.gettempdir(), "sse-academy-test.db"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
