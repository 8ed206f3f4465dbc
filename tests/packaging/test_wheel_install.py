"""The built package, installed (not editable) into a fresh venv, renders its blocks.

Templates, CSS/JS, scenario XML, migrations and translations must ship inside the wheel and be
found at run time, far from the source tree. The wheel is built from the source distribution (as
`python -m build` does), so the sdist must carry what setup.py reads (requirements/base.in); both are
built and installed with the pinned installers and run-time pins of requirements/, never with whatever
the package index serves today.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from source_tree import source_copy

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

RENDER_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import django
    from django.conf import settings
    settings.configure(
        INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "submissions", "sse_academy_xblock"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_I18N=True,
    )
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)  # the migrations shipped in the wheel
    import sse_academy_xblock
    from xblock.core import XBlock
    from xblock.field_data import DictFieldData
    from xblock.runtime import DictKeyValueStore, KvsFieldData
    from xblock.test.tools import TestRuntime
    from xblock.reference.user_service import UserService, XBlockUser

    user = XBlockUser(is_current_user=True)
    user.opt_attrs["edx-platform.anonymous_user_id"] = "anon-1"
    user.opt_attrs["edx-platform.user_is_staff"] = False

    class Users(UserService):
        def get_current_user(self):
            return user

    class I18n:
        def gettext(self, text):
            return text
        def ngettext(self, s, p, n):
            return s if n == 1 else p

    class Runtime(TestRuntime):
        def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
            return f"/handler/{block.scope_ids.usage_id}/{handler_name}/{suffix}"

        def local_resource_url(self, block, uri):
            return f"/resource/{block.scope_ids.block_type}/{uri}"

    import gettext, importlib.resources
    # Where the platform's XBlock i18n service looks: <root module>/translations, domain "text".
    with importlib.resources.as_file(importlib.resources.files("sse_academy_xblock") / "translations") as where:
        catalog = {lang: gettext.translation("text", str(where), [lang]).gettext("Submit") for lang in ("fr", "es")}
    out = {"package": sse_academy_xblock.__file__, "blocks": {}, "submit": catalog}
    for name, cls in XBlock.load_classes():
        if not name.startswith("sse_"):
            continue
        runtime = Runtime(
            services={"field-data": KvsFieldData(DictKeyValueStore()), "user": Users(user=user), "i18n": I18n()}
        )
        scenarios = cls.workbench_scenarios()
        assert scenarios, name
        usage_id = runtime.parse_xml_string(scenarios[0][1])
        block = runtime.get_block(usage_id)
        while block.scope_ids.block_type != name and block.has_children:
            block = runtime.get_block(block.children[0])
        frag = block.render("student_view", {})
        out["blocks"][name] = {"html": frag.body_html(), "resources": len(frag.resources)}
    json.dump(out, sys.stdout)
    """
)


def test_wheel_installs_and_renders_from_site_packages(tmp_path):
    dist = tmp_path / "dist"
    source = source_copy(tmp_path)  # see source_tree.py
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(source)],
        check=True, cwd=tmp_path, capture_output=True,
    )
    wheel = next(dist.glob("sse_academy_xblock-*.whl"))
    assert next(dist.glob("sse_academy_xblock-*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in (
        "sse_academy_xblock/templates/quiz/",
        "sse_academy_xblock/static/js/sse-common.js",
        "sse_academy_xblock/static/css/sse.css",
        "sse_academy_xblock/scenarios/sse_quiz__",
        "sse_academy_xblock/migrations/0001_dimension_scores.py",
        "sse_academy_xblock/translations/fr/LC_MESSAGES/text.mo",
        "sse_academy_xblock/translations/es/LC_MESSAGES/text.mo",
    ):
        assert any(n.startswith(required) for n in names), f"{required} missing from the wheel"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-r", str(ROOT / "requirements" / "pip.txt")], check=True, cwd=tmp_path)
    subprocess.run([*pip, "-c", str(ROOT / "requirements" / "base.txt"), str(wheel)], check=True, cwd=tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [str(python), "-c", RENDER_SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-4000:]
    import json

    out = json.loads(result.stdout)
    assert str(venv) in out["package"] and str(ROOT) not in out["package"]
    assert "sse_quiz" in out["blocks"]
    assert out["submit"] == {"fr": "Soumettre", "es": "Enviar"}  # the catalogs, found in site-packages
    for name, rendered in out["blocks"].items():
        assert "sse-block" in rendered["html"], name
        assert rendered["resources"] >= 2, f"{name}: CSS and JS should be inlined into the fragment"
