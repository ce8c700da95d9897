"""Every template's text is marked for translation (issue 19; conventions in docs/ARCHITECTURE.md,
"Languages of the interface"): element text, the attributes people read, e-mail text.
The reader is tests/i18n_markup.py; its own tests come first, then one test per template."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n_markup import attribute_blocks, unmarked

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Templates that are not pages or e-mails: the service worker is a script.
CHECKED = sorted(
    path.relative_to(TEMPLATES).as_posix()
    for path in TEMPLATES.rglob("*")
    if path.suffix in (".html", ".txt")
)
# base.html's class="{% block main_class %}...": pages fill them with class names.
ATTRIBUTE_BLOCKS = attribute_blocks(
    (TEMPLATES / name).read_text(encoding="utf-8") for name in CHECKED
)


def texts(name: str, source: str, blocks: frozenset[str] = frozenset()) -> list[str]:
    return [found.text for found in unmarked(name, source, blocks)]


def test_it_finds_unmarked_text_and_accepts_marked_text() -> None:
    source = """{% load i18n %}
<h1>Start talking</h1>
<h2>{% translate "Start talking" %}</h2>
<p>{% blocktranslate trimmed with name=user.name %}
  Welcome back, {{ name }}.{% endblocktranslate %}</p>
<p>{{ user.name }} · 3/5 &middot; A2–B1 — Tertulia</p>
"""
    assert texts("page.html", source) == ["Start talking"]
    assert [found.line for found in unmarked("page.html", source)] == [2]


def test_it_reads_the_attributes_people_read() -> None:
    source = """{% load i18n %}
<button aria-label="Close">×</button>
<input type="search" placeholder="{% translate 'Search' %}" name="query" class="wide field">
<img alt="The tutor" src="{{ url }}"><a title="{{ topic.title }} and more" href="/">→</a>
<input type="submit" value="Send"><input type="hidden" name="next" value="/learn/">
<meta name="description" content="Practise speaking."><meta name="theme-color" content="#c2410c">
<span aria-description="{% translate 'New' %}" data-note="not read">{{ n }}</span>
"""
    assert texts("page.html", source) == [
        "Close",
        "The tutor",
        "and more",
        "Send",
        "Practise speaking.",
    ]


def test_scripts_styles_and_comments_are_not_text() -> None:
    source = """<script type="application/json">{"say": "hello"}</script>
<style>.a::after { content: "tip"; }</style>
{# A note for developers #}{% comment %}Another note{% endcomment %}
<!-- an HTML comment -->
{% if user.is_teacher %}{% url 'teach:dashboard' %}{% endif %}
"""
    assert texts("page.html", source) == []


def test_an_example_in_a_named_language_is_content_but_the_rest_is_not() -> None:
    source = """<div><span class="who">Tutor</span><span lang="es">¡Hola! <em>¿Qué</em> tal?</span>
<br>after the example</div><p lang="{{ conversation.language }}">Captions appear here</p>"""
    # A lang given by a variable does not make the text content: it may be the interface's.
    assert texts("page.html", source) == ["Tutor", "after the example", "Captions appear here"]


def test_element_names_and_attribute_blocks_made_by_tags_are_not_text() -> None:
    layout = '<main class="{% block main_class %}container{% endblock %}">'
    assert attribute_blocks([layout]) == {"main_class"}
    page = """{% extends "base.html" %}{% block main_class %}container narrow{% endblock %}
{% block title %}Offline{% endblock %}
<{% if href %}a href="{{ href }}"{% else %}button{% endif %} class="button">{{ label }}
</{% if href %}a{% else %}button{% endif %}>
"""
    assert texts("page.html", page, frozenset({"main_class"})) == ["Offline"]


def test_an_email_template_is_all_text() -> None:
    source = """{% load i18n %}{% autoescape off %}
{% blocktranslate %}Hello from {{ site }}!{% endblocktranslate %}
Click the link below.
{{ url }}
{% endautoescape %}"""
    found = unmarked("mail_message.txt", source)
    assert [(item.line, item.text) for item in found] == [(3, "Click the link below.")]


def test_there_are_templates_to_check() -> None:
    assert "base.html" in CHECKED and "account/email/base_message.txt" in CHECKED


@pytest.mark.parametrize("name", CHECKED)
def test_the_template_marks_its_text(name: str) -> None:
    found = unmarked(name, (TEMPLATES / name).read_text(encoding="utf-8"), ATTRIBUTE_BLOCKS)
    assert not found, f"templates/{name} has text outside translate/blocktranslate:\n" + "\n".join(
        f"  templates/{name}:{item}" for item in found
    )
