"""SSE Academy XBlocks for Open edX."""

import os
import shutil

from setuptools import find_packages, setup
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


setup(
    name="sse-academy-xblock",
    version="0.1.0",
    description="ILO SSE Academy XBlocks: server-graded quizzes, peer-reviewed case studies and modules "
    "mapped to the Decent Work Agenda",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_packages(include=["sse_academy_xblock", "sse_academy_xblock.*"]),
    include_package_data=True,
    package_data={
        "sse_academy_xblock": [
            "scenarios/*.xml",
            "curriculum/*/*.xml",
            "curriculum/*/*/*.xml",
            "translations/*/LC_MESSAGES/*",
            "locale/*/LC_MESSAGES/*",
        ],
    },
    install_requires=[
        "XBlock[django]>=5.0,<7",
        "web-fragments>=2.0",
        "lxml>=5.0",
        "edx-submissions>=3.7",
        "nh3>=0.2.14",
        "Django>=4.2,<6",
    ],
    extras_require={
        "dev": [
            "xblock-sdk>=0.12",
            "pytest>=8",
            "pytest-django>=4.8",
            "playwright>=1.40",
            "hypothesis>=6.100",
            "olxcleaner>=0.3",
            "build",
            "Babel>=2.12",
        ],
        "postgresql": ["psycopg[binary]>=3.1"],
        "mariadb": ["mysqlclient>=2.2"],
    },
    entry_points={
        "xblock.v1": [
            "sse_quiz = sse_academy_xblock.blocks.quiz:SSEQuizBlock",
            "sse_module = sse_academy_xblock.blocks.module:SSEModuleBlock",
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
        "License :: OSI Approved :: GNU Affero General Public License v3",
    ],
)
