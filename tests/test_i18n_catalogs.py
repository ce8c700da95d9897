"""The translation catalogs under locale/ are complete, faithful, compiled and up to date
(issue 19; docs/ARCHITECTURE.md, "Languages of the interface").

For every translated language and both domains (django: templates and Python; djangojs: page
scripts): no entry untranslated or fuzzy, each translation keeps its source's placeholders and
HTML tags, plural entries have every form, the committed .mo says what the .po says, and
makemessages run afresh over the sources (tutor/catalogs.py, as `make messages` runs it) finds
no string the catalogs lack or keep in excess.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tutor import catalogs

ROOT = Path(settings.BASE_DIR)
LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = catalogs.translated_languages()
CATALOGS = [(code, domain) for code in LANGUAGES for domain in catalogs.DOMAINS]

# %(name)s, %s, %d and their kin (python-format, and interpolate() in scripts); {name}.
_PRINTF = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
_BRACES = re.compile(r"\{[A-Za-z_]\w*\}")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")

Key = tuple[str, str, str]  # (context, msgid, msgid_plural)


def po_path(code: str, domain: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / f"{domain}.po"


def catalog(code: str, domain: str) -> polib.POFile | None:
    path = po_path(code, domain)
    return polib.pofile(str(path)) if path.exists() else None


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def placeholders(text: str, printf: bool = True) -> Counter[str]:
    marks = [m for m in _PRINTF.findall(text) if m != "%%"] if printf else []
    return Counter(marks + _BRACES.findall(text))


def is_format(entry: polib.POEntry) -> bool:
    """Whether gettext reads % in this entry as a placeholder: xgettext flags the strings it is
    (python-format, javascript-format). In "%(share)s % of the talk" flagged no-javascript-format,
    "% o" is the per cent sign and a word, and "% de la conversación" is no placeholder."""
    return any(flag.endswith("-format") and not flag.startswith("no-") for flag in entry.flags)


def tags(text: str) -> Counter[str]:
    """HTML tags by name and end-ness: a translation may reword an attribute's neighbour, never
    drop or add an element."""
    return Counter(
        re.sub(r"^(</?[A-Za-z][\w-]*).*$", r"\1>", tag, flags=re.S) for tag in _TAG.findall(text)
    )


def nplurals(po: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    assert found, "the catalog's header has no Plural-Forms"
    return int(found.group(1))


def test_a_per_cent_sign_is_a_placeholder_only_in_a_format_string() -> None:
    share = polib.POEntry(msgid="% of the talk", flags=["no-javascript-format"])
    count = polib.POEntry(msgid="%(n)s of the talk", flags=["python-format"])
    assert (is_format(share), is_format(count)) == (False, True)
    assert placeholders("% de la conversación", printf=False) == Counter()
    assert placeholders("% de la conversación") == Counter(["% d"])


def test_placeholders_and_tags_are_read_as_translators_must_keep_them() -> None:
    text = 'Hi %(name)s, %s left, {count} more, 100%% sure: <a href="%(url)s">see</a>'
    assert placeholders(text) == Counter(["%(name)s", "%s", "{count}", "%(url)s"])
    assert tags(text) == Counter(["<a>", "</a>"])
    assert tags('<strong class="x">mot</strong>') == tags("<strong>Wort</strong>")


def test_every_language_has_a_django_catalog() -> None:
    assert sorted(LANGUAGES) == ["de", "es", "fr", "it", "ja", "pt"]
    missing = [
        str(po_path(code, "django")) for code in LANGUAGES if not po_path(code, "django").exists()
    ]
    assert not missing, f"run `make messages`: no catalog at {missing}"


@pytest.mark.parametrize(("code", "domain"), CATALOGS)
def test_every_entry_is_translated(code: str, domain: str) -> None:
    po = catalog(code, domain)
    if po is None:  # no string of this domain in the sources (the up-to-date test checks)
        return
    assert po.metadata.get("Language") == code
    untranslated = [entry.msgid for entry in live(po) if not entry.translated()]
    fuzzy = [entry.msgid for entry in live(po) if "fuzzy" in entry.flags]
    assert not untranslated, (
        f"{po_path(code, domain)}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    )
    assert not fuzzy, f"{po_path(code, domain)}: fuzzy (check, then drop the flag): {fuzzy[:5]}"


@pytest.mark.parametrize(("code", "domain"), CATALOGS)
def test_translations_keep_placeholders_tags_and_plural_forms(code: str, domain: str) -> None:
    po = catalog(code, domain)
    if po is None:
        return
    wrong: list[str] = []
    forms = nplurals(po)
    for entry in live(po):
        if entry.msgid_plural:
            given = {i: text for i, text in entry.msgstr_plural.items() if text}
            if not given:
                continue  # untranslated: the test above says so
            if sorted(given) != list(range(forms)):
                wrong.append(f"{entry.msgid!r}: {len(given)} of {forms} plural forms")
            printf = is_format(entry)
            allowed = placeholders(entry.msgid, printf) | placeholders(entry.msgid_plural, printf)
            used: Counter[str] = Counter()
            for text in given.values():
                extra = set(placeholders(text, printf)) - set(allowed)
                if extra:
                    wrong.append(f"{entry.msgid!r}: unknown placeholders {sorted(extra)}")
                used |= placeholders(text, printf)
                if tags(text) != tags(entry.msgid_plural):
                    wrong.append(f"{entry.msgid!r}: HTML tags differ in {text!r}")
            # Every named value the plural source uses appears in some form (a singular form
            # may say "one" instead of the count).
            lost = {m for m in placeholders(entry.msgid_plural, printf) if "(" in m} - set(used)
            if lost:
                wrong.append(f"{entry.msgid!r}: no form uses {sorted(lost)}")
        elif entry.msgstr:
            printf = is_format(entry)
            if placeholders(entry.msgstr, printf) != placeholders(entry.msgid, printf):
                wrong.append(f"{entry.msgid!r}: placeholders differ in {entry.msgstr!r}")
            if tags(entry.msgstr) != tags(entry.msgid):
                wrong.append(f"{entry.msgid!r}: HTML tags differ in {entry.msgstr!r}")
    assert not wrong, f"{po_path(code, domain)}:\n" + "\n".join(wrong)


def _translations(entries: list[polib.POEntry] | polib.MOFile) -> dict[Key, object]:
    found: dict[Key, object] = {}
    for entry in entries:
        if not entry.msgid or "fuzzy" in getattr(entry, "flags", []):
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if any(forms):
                found[key(entry)] = forms
        elif entry.msgstr:
            found[key(entry)] = entry.msgstr
    return found


@pytest.mark.parametrize(("code", "domain"), CATALOGS)
def test_the_committed_mo_is_the_compiled_po(code: str, domain: str) -> None:
    po = catalog(code, domain)
    mo_path = po_path(code, domain).with_suffix(".mo")
    if po is None:
        assert not mo_path.exists(), f"{mo_path} has no .po beside it"
        return
    assert mo_path.exists(), f"run `make compilemessages`: {mo_path} is missing"
    mo = polib.mofile(str(mo_path))
    assert _translations(mo) == _translations(live(po)), f"run `make compilemessages` ({mo_path})"
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


def gettext_tools() -> None:
    """GNU gettext, found or installed by bin/ensure-gettext (as `make messages` does); a
    machine without it fails here with the command that installs it."""
    if shutil.which("xgettext"):
        return
    script = str(ROOT / "bin" / "ensure-gettext")
    result = subprocess.run([script], capture_output=True, text=True)  # noqa: S603 (ours)
    assert result.returncode == 0, f"GNU gettext is needed and missing:\n{result.stderr}"
    os.environ["PATH"] = f"{result.stdout.strip()}{os.pathsep}{os.environ['PATH']}"


def fresh_catalogs(scratch: Path) -> Path:
    """makemessages over the sources, into a copy of locale/ under `scratch`: the sources are
    linked into it (makemessages writes to the locale/ beside the files it reads)."""
    for item in ROOT.iterdir():
        if item.name != "locale" and not item.name.startswith("."):
            (scratch / item.name).symlink_to(item)
    if LOCALE.exists():
        shutil.copytree(LOCALE, scratch / "locale")
    script = (
        "import django; django.setup(); from tutor import catalogs; from django.core.management "
        "import call_command\n"
        "for domain in catalogs.DOMAINS:\n"
        "    call_command('makemessages', '--symlinks', *catalogs.makemessages_arguments(domain),"
        " verbosity=0)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tutor.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, "-c", script], cwd=scratch, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return scratch / "locale"


def test_the_catalogs_hold_every_string_of_the_sources(tmp_path: Path) -> None:
    gettext_tools()
    fresh = fresh_catalogs(tmp_path)
    stale: list[str] = []
    for code, domain in CATALOGS:
        new_path = fresh / code / "LC_MESSAGES" / f"{domain}.po"
        new = {key(e) for e in live(polib.pofile(str(new_path)))} if new_path.exists() else set()
        po = catalog(code, domain)
        old = {key(e) for e in live(po)} if po is not None else set()
        if new - old:
            stale.append(f"{code}/{domain}: missing {sorted(new - old)[:5]}")
        if old - new:
            stale.append(f"{code}/{domain}: no longer in the sources {sorted(old - new)[:5]}")
    assert not stale, "run `make messages` (then translate, `make compilemessages`):\n" + "\n".join(
        stale
    )
