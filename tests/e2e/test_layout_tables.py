"""Every table of the teacher's pages (dashboard, classroom, a learner, an assignment's evidence
and rubric totals, a group room, the review queue, the topics) and the learner's progress page,
with realistic data (long German names, long topic titles, phrases and corrections), at 360, 390
and 430 px, in English and in German: neither the page nor a table's own box scrolls sideways,
no cell reaches past the screen, and each row of a wide table is a card whose values are
labelled by their column's heading. The tables keep their semantics for screen readers
(Chromium's accessibility tree still has the table, its rows, headers and cells), and on a
desktop they are the plain tables they were."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page

from accounts.models import User
from lessons.models import Classroom, GroupRoom, Membership
from lessons.services import groups
from lessons.services.rubrics import rubric_attach
from tests.base import Personas
from tests.e2e.browser import ARTIFACTS, DESKTOP
from tests.e2e.phone import PHONE_WIDTHS, context_as, phone
from tests.lessons.teaching import make_assignment, make_conversation, make_topic

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = (
    "Maximilian Alexander Schwarzenberg-Hohenlohe",
    "Anna-Katharina Müller-Lüdenscheidt",
    "Friederike Oberstudienrätin Donaudampfschiff",
    "Jürgen Wolfgang Freiherr von Kleinschmidt",
)
TITLE = "Reklamation im Fundbüro des Hauptbahnhofs: der verlorene Reisekoffer"
PHRASES = [
    "¿podría ayudarme, por favor?",
    "he perdido mi maleta en el andén",
    "quisiera presentar una reclamación formal",
    "¿cuánto tiempo tardará la búsqueda?",
]


def make_classroom(personas: Personas) -> dict[str, Any]:
    """Bob's class with four learners of long German names, two assignments with long titles,
    a rubric, a group room and conversations (some short enough to be flagged for review)."""
    bob, alice = personas.bob, personas.alice
    classroom = Classroom.objects.create(
        teacher=bob,
        name="Spanisch für Fortgeschrittene, Abendkurs der Volkshochschule Friedrichshain",
        language="es",
        level_min="A2",
        level_max="B1",
    )
    Membership.objects.create(classroom=classroom, learner=alice)
    learners = [alice]
    for n, name in enumerate(NAMES):
        learner = User.objects.create_user(
            email=f"{name.split()[0].lower()}.{n}@volkshochschule-friedrichshain.example.org",
            display_name=name,
            onboarded=True,
            level="A2",
            target_language="es",
        )
        Membership.objects.create(classroom=classroom, learner=learner)
        learners.append(learner)
    topic = make_topic(
        author=bob,
        slug="fundbuero",
        title=TITLE,
        target_phrases=PHRASES,
        persona_name="Doña Encarnación Fernández de Villanueva",
        tutor_role="una empleada muy paciente de la oficina de objetos perdidos",
        voice="Kore",
    )
    make_topic(author=bob, slug="wohnung", title="Wohnungsbesichtigung in der Altbauwohnung")
    assignment = make_assignment(classroom, topic, min_speaking_minutes=10)
    make_assignment(
        classroom,
        make_topic(slug="arzt", title="Beim Hals-Nasen-Ohren-Arzt: Termin vereinbaren"),
        due_at=timezone.now() - timedelta(days=1),
    )
    now = timezone.now()
    for n, learner in enumerate(learners):
        for week in range(3):
            make_conversation(
                learner,
                assignment,
                said=PHRASES[: n % 4 + 1] if week else ["Sí."],  # one-line ones are flagged
                seconds=90.0 + 200 * n + 60 * week,
                started_at=now - timedelta(days=7 * week, hours=n + 1),
                corrections=["grammar", "vocabulary", "pronunciation", "register"][: n + 1],
            )
    rubric_attach(assignment=assignment, level="B1")
    room = groups.group_open(creator=bob, language="es", level="A2", assignment=assignment)
    for learner in learners[:4]:
        groups.group_join(room=room, learner=learner)
    return {"classroom": classroom, "assignment": assignment, "room": room}


def pages(world: dict[str, Any], personas: Personas) -> list[tuple[str, str, User]]:
    classroom, assignment, room = world["classroom"], world["assignment"], world["room"]
    assert isinstance(room, GroupRoom)
    bob, alice = personas.bob, personas.alice
    return [
        ("dashboard", reverse("teach:dashboard"), bob),
        ("classroom", reverse("teach:classroom", args=[classroom.pk]), bob),
        ("learner", reverse("teach:learner", args=[classroom.pk, alice.pk]), bob),
        ("assignment", reverse("teach:assignment", args=[assignment.pk]), bob),
        ("group room", reverse("teach:group_room", args=[room.pk]), bob),
        ("review", reverse("teach:review"), bob),
        ("topics", reverse("teach:topics"), bob),
        ("progress", reverse("learn:progress"), alice),
    ]


# What reaches past the screen or scrolls sideways: the page, a table's own scrolling box, a cell.
FIT = """() => {
  const width = innerWidth, out = [];
  if (document.scrollingElement.scrollWidth > width) {
    out.push(`the page is ${document.scrollingElement.scrollWidth}px wide`);
  }
  document.querySelectorAll('main table').forEach((table, i) => {
    const name = `table ${i + 1}`;
    for (let p = table.parentElement; p && p !== document.body; p = p.parentElement) {
      const scroller = /(auto|scroll)/.test(getComputedStyle(p).overflowX);
      if (scroller && p.scrollWidth > p.clientWidth + 1) {
        out.push(`${name} scrolls sideways in its box (${p.scrollWidth} > ${p.clientWidth})`);
      }
    }
    const head = table.tHead, headHidden = head && head.getBoundingClientRect().width <= 1;
    for (const cell of table.querySelectorAll('th, td')) {
      if (!cell.getClientRects().length) continue;
      if (headHidden && head.contains(cell)) continue;  // clipped to 1px, for screen readers
      const box = cell.getBoundingClientRect();
      if (box.right > width + 1 || box.left < -1) {
        out.push(`${name}: "${cell.textContent.trim().slice(0, 30)}" reaches past the screen`);
      }
    }
  });
  return out;
}"""

# Each table drawn as cards (its head hidden): every value cell of a row that has a column
# heading shows that heading before it (CSS ::before from data-label).
LABELS = """() => {
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  const hiddenOnly = (th) => {  // a heading only screen readers get ("Actions"): no label
    const hidden = th.querySelector('.visually-hidden');
    return hidden && text(hidden) === text(th);
  };
  const out = [];
  let stacked = 0;
  document.querySelectorAll('main table').forEach((table, i) => {
    const head = table.tHead;
    if (!head || getComputedStyle(table).display === 'table') return;
    stacked += 1;
    const headings = [...head.rows[0].cells].map((th) => (hiddenOnly(th) ? '' : text(th)));
    for (const row of table.tBodies[0].rows) {
      if (row.cells.length !== headings.length) continue;  // "no learners yet": one wide cell
      [...row.cells].forEach((cell, c) => {
        if (cell.tagName === 'TH' || !headings[c]) return;
        const shown = getComputedStyle(cell, '::before').content;
        if (shown !== JSON.stringify(headings[c])) {
          out.push(`table ${i + 1}, column "${headings[c]}": labelled ${shown}`);
        }
      });
    }
  });
  return {stacked, out: out.slice(0, 10)};
}"""


def _ax_roles(page: Page) -> dict[str, int]:
    """How many nodes of each table role Chromium's own accessibility tree has."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    counts: dict[str, int] = {}
    for node in nodes:
        role = node.get("role", {}).get("value", "")
        if role in ("table", "row", "columnheader", "rowheader", "cell"):
            counts[role] = counts.get(role, 0) + 1
    return counts


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_teachers_tables_fit_a_phone_as_labelled_cards(
    server: str, chromium: Browser, personas: Personas, language: str
) -> None:
    world = make_classroom(personas)
    for person in (personas.bob, personas.alice):
        person.native_language = language
        person.save(update_fields=["native_language"])
    problems = []
    for width in PHONE_WIDTHS:
        for name, path, who in pages(world, personas):
            context = context_as(chromium, server, who, phone(width))
            page = context.new_page()
            page.goto(server + path)
            # The progress page's charts fold their tables away: open them, they must fit too.
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("main table").count() > 0, f"{name}: no table"
            problems += [f"{name} at {width}px: {p}" for p in page.evaluate(FIT)]
            labels = page.evaluate(LABELS)
            problems += [f"{name} at {width}px: {p}" for p in labels["out"]]
            if name != "progress":  # every teacher table is a list of cards on a phone
                total = page.locator("main table").count()
                if labels["stacked"] != total:
                    problems.append(f"{name} at {width}px: {labels['stacked']} of {total} stacked")
            roles = _ax_roles(page)
            tables = page.locator("main table").count()
            if roles.get("table", 0) < tables or not roles.get("cell") or not roles.get("row"):
                problems.append(f"{name} at {width}px: table semantics lost: {roles}")
            if width == 390 and language == "de":
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                shot = re.sub(r"\W+", "-", name)
                page.screenshot(path=str(ARTIFACTS / f"tables-{shot}-390.png"), full_page=True)
                for i in range(page.locator("main table").count()):  # each table close up
                    page.locator("main table").nth(i).screenshot(
                        path=str(ARTIFACTS / f"tables-{shot}-{i + 1}-390.png")
                    )
            context.close()
    assert problems == [], "\n".join(problems)


def test_on_a_desktop_the_tables_are_plain_tables(
    server: str, chromium: Browser, personas: Personas
) -> None:
    world = make_classroom(personas)
    for name, path, who in pages(world, personas):
        context = context_as(chromium, server, who, DESKTOP)
        page = context.new_page()
        page.goto(server + path)
        drawn = page.evaluate(
            """() => [...document.querySelectorAll('main table')].map((table) => ({
                 table: getComputedStyle(table).display,
                 head: table.tHead ? getComputedStyle(table.tHead.rows[0]).display : 'table-row',
                 row: table.tBodies[0].rows[0]
                   ? getComputedStyle(table.tBodies[0].rows[0]).display : 'table-row',
                 before: [...table.querySelectorAll('td')].some((cell) =>
                   getComputedStyle(cell, '::before').content !== 'none'),
               }))"""
        )
        for i, table in enumerate(drawn):
            assert table == {
                "table": "table",
                "head": "table-row",
                "row": "table-row",
                "before": False,
            }, f"{name}, table {i + 1}: {table}"
        assert page.evaluate(FIT) == [], name
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = re.sub(r"\W+", "-", name)
        page.screenshot(path=str(ARTIFACTS / f"tables-{shot}-1280.png"), full_page=True)
        context.close()
