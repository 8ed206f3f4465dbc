"""SSE Academy XBlocks for Open edX."""

import os
import re
import shutil

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
# Top-level folders that ship inside the package, where the blocks find them at run time.
SHIPPED_DIRS = ("templates", "static")


class BuildWithAssets(build_py):
    """Copy the top-level ``templates/`` and ``static/`` into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED_DIRS:
            target = os.path.join(self.build_lib, "sse_academy_xblock", name)
            if os.path.isdir(target):
                shutil.rmtree(target)
            shutil.copytree(
                os.path.join(HERE, name), target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as handle:
        return handle.read()


def load_requirements(name):
    """The requirement lines of ``requirements/<name>`` (ranges, not pins), with their ``-c`` constraints applied.

    The run-time ranges have one home, ``requirements/base.in``; ``make upgrade`` compiles the same file into
    the pinned ``requirements/base.txt`` that the test environments install. A cap in
    ``requirements/constraints.txt`` is added to the range of the package it names.
    """
    requirements, constraints = [], {}
    for line in read(os.path.join("requirements", name)).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-c "):
            constraints.update(_constraints(line[3:].strip()))
        elif not line.startswith("-"):
            requirements.append(line)
    return [_with_constraint(req, constraints) for req in requirements]


def _name(requirement):
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _constraints(name):
    caps = {}
    for line in read(os.path.join("requirements", name)).splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            caps[_name(line)] = line[len(_name(line)):].strip()
    return caps


def _with_constraint(requirement, constraints):
    cap = constraints.get(_name(requirement))
    if not cap:
        return requirement
    return f"{requirement},{cap}" if re.search(r"[<>=!~]", requirement) else f"{requirement}{cap}"


setup(
    name="sse-academy-xblock",
    version="0.1.0",
    description="ILO SSE Academy XBlocks: server-graded quizzes, peer-reviewed case studies and modules "
    "mapped to the Decent Work Agenda",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-only",
    python_requires=">=3.11",
    # Namespace packages, so that the data folders (translations/<lang>/LC_MESSAGES, curriculum/<module>) count
    # as packages and ship their files without setuptools' "absent from packages" warnings.
    package_dir={"": "."},
    packages=find_namespace_packages(include=["sse_academy_xblock", "sse_academy_xblock.*"], exclude=["*.__pycache__"]),
    include_package_data=True,
    package_data={
        "sse_academy_xblock": [
            "scenarios/*.xml",
            "curriculum/*/*.xml",
            "curriculum/*/*/*.xml",
            # Our catalogs (text.po, compiled text.mo), where the platform's XBlock i18n service finds them.
            "translations/*/LC_MESSAGES/*",
        ],
    },
    install_requires=load_requirements("base.in"),
    entry_points={
        "xblock.v1": [
            "sse_quiz = sse_academy_xblock.blocks.quiz:SSEQuizBlock",
            "sse_profile = sse_academy_xblock.blocks.profile:SSEProfileBlock",
            "sse_case_study = sse_academy_xblock.blocks.case_study:SSECaseStudyBlock",
        ],
        "lms.djangoapp": ["sse_academy_xblock = sse_academy_xblock.apps:SSEAcademyConfig"],
        "cms.djangoapp": ["sse_academy_xblock = sse_academy_xblock.apps:SSEAcademyConfig"],
        "tutor.plugin.v1": ["sse-academy = sse_academy_xblock.tutor_plugin"],
    },
    cmdclass={"build_py": BuildWithAssets},
    zip_safe=False,
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3.11",
    ],
)
