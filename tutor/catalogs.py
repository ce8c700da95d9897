"""How the translation catalogs under locale/ are made from the sources: `make messages` runs
this module, and tests/test_i18n_catalogs.py runs the same makemessages into a scratch copy
to check that the committed catalogs are up to date.

Only the interface's own strings: tests, benchmarks, the Gemini emulator, the tutor's prompts
(sent to Gemini, not shown) and vendored or worker scripts (no catalog there) stay out.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

IGNORED = (
    "tests",
    "bench",
    "deploy",
    "docs",
    "bin",
    "node_modules",
    "staticfiles",
    "tutor/emulator",
    "tutor/prompts",
    "static/vendor",
    "static/js/worklets",
    "templates/app_shell/service-worker.js",
)
# --add-location=file: translators see the file; diffs do not churn with every line moved.
COMMON = ("--add-location=file", "--no-obsolete", *(f"--ignore={path}" for path in IGNORED))


def translated_languages() -> list[str]:
    """Every interface language but the source language, English."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def makemessages_arguments(domain: str) -> list[str]:
    locales = [f"--locale={code}" for code in translated_languages()]
    extra = ["--extension=html,txt,py"] if domain == "django" else ["--extension=js"]
    return [f"--domain={domain}", *extra, *locales, *COMMON]


DOMAINS = ("django", "djangojs")


def make() -> None:
    for domain in DOMAINS:
        call_command("makemessages", *makemessages_arguments(domain), verbosity=0)
    # A new catalog's header leaves its language blank; translators' tools want it.
    for code in translated_languages():
        for domain in DOMAINS:
            path = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                text = path.read_text(encoding="utf-8")
                path.write_text(
                    text.replace('"Language: \\n"', f'"Language: {code}\\n"', 1),
                    encoding="utf-8",
                )


def compile_all() -> None:
    call_command("compilemessages", "--ignore=.*", verbosity=0)


if __name__ == "__main__":
    import django

    django.setup()
    {"make": make, "compile": compile_all}[sys.argv[1]]()
