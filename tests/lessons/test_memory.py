"""The learner's memory in the domain (lessons.services.memory, lessons.selectors.memory): the
budget, an update's write, the learner's edits, the off switch, trials, account deletion, the
export, and teachers, who never see it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from lessons.models import (
    MEMORY_LINE_CHARS,
    MEMORY_MAX_CHARS,
    MEMORY_MAX_LINES,
    Conversation,
    MemoryLine,
)
from lessons.selectors.memory import (
    memory_for_prompt,
    memory_update_input,
    pending_conversations,
    recurring_errors,
)
from lessons.services.conversations import conversation_start
from lessons.services.memory import (
    MemoryRefused,
    clean_line,
    fit_budget,
    memory_edit_line,
    memory_replace,
    memory_snapshot,
    memory_switch,
)
from tests.base import Personas
from tests.lessons.learner_data import make_conversation
from tests.lessons.teaching import fast_passwords  # noqa: F401 (a fixture, used by name)
from tests.test_permission_matrix import ROWS
from tests.world import World, make_world

pytestmark = pytest.mark.django_db

SISTER = ("person", 'Sister in Lyon: "mi hermana vive en Lyon"')


def remember(learner: User, *lines: tuple[str, str]) -> list[MemoryLine]:
    for position, (kind, text) in enumerate(lines):
        MemoryLine.objects.create(learner=learner, kind=kind, text=text, position=position)
    return list(MemoryLine.objects.filter(learner=learner))


# -- the budget -------------------------------------------------------------------------


def test_the_budget_keeps_at_most_twelve_lines_and_600_characters_most_useful_first() -> None:
    many = [("interest", f"Likes thing number {i} " + "x" * 40) for i in range(30)]
    kept = fit_budget(many)
    assert len(kept) <= MEMORY_MAX_LINES
    assert sum(len(text) for _, text in kept) <= MEMORY_MAX_CHARS
    assert kept[0] == many[0]  # the order given is the order of usefulness: the last go
    assert kept == many[: len(kept)]
    short = [("goal", f"Goal {i}") for i in range(20)]
    assert fit_budget(short) == short[:12]


def test_the_budget_drops_unknown_kinds_blanks_and_repeats_and_cuts_long_lines() -> None:
    long = "word " * 60
    kept = fit_budget(
        [("person", "Has a  sister\nin Lyon"), ("secret", "x"), ("goal", "  "),
         ("place", "HAS A SISTER IN LYON"), ("interest", long)]
    )  # fmt: skip
    assert kept[0] == ("person", "Has a sister in Lyon")
    assert [kind for kind, _ in kept] == ["person", "interest"]
    assert len(kept[1][1]) <= MEMORY_LINE_CHARS and kept[1][1].endswith("…")
    assert clean_line("short") == "short"


def test_a_line_too_long_for_what_is_left_makes_way_for_a_shorter_one() -> None:
    lines = [("interest", f"{i}" + "a" * 109) for i in range(5)]  # 550 characters
    lines.append(("goal", "Travel to Peru"))
    kept = fit_budget(lines)
    assert ("goal", "Travel to Peru") in kept
    assert sum(len(text) for _, text in kept) <= MEMORY_MAX_CHARS


# -- an update's write ------------------------------------------------------------------


def test_an_update_replaces_the_lines_and_marks_the_conversations_taken_in(alice: User) -> None:
    conversation = make_conversation(alice)
    data = memory_update_input(alice.pk)
    assert data is not None and data.pending == [conversation.pk]
    assert data.transcripts[0].turns[1] == (
        "learner",
        "Yo quiero comer una tortilla y un café con leche",
    )
    lines = [SISTER, ("error", 'Says "yo voy" for the past; better: "fui"')]
    assert memory_replace(
        learner_id=alice.pk, lines=lines, conversation_ids=data.pending,
        source_id=conversation.pk, expected=data.snapshot,
    )  # fmt: skip
    stored = list(MemoryLine.objects.filter(learner=alice))
    assert [(line.kind, line.text) for line in stored] == lines
    assert {line.source_id for line in stored} == {conversation.pk}
    conversation.refresh_from_db()
    assert conversation.remembered_at is not None
    assert memory_update_input(alice.pk) is None  # nothing new to take in


def test_an_update_is_cut_to_the_budget_on_the_server(alice: User) -> None:
    conversation = make_conversation(alice)
    data = memory_update_input(alice.pk)
    assert data is not None
    flood = [("interest", f"Likes hobby {i}: " + "z" * 80) for i in range(40)]
    memory_replace(
        learner_id=alice.pk, lines=flood, conversation_ids=[conversation.pk],
        source_id=conversation.pk, expected=data.snapshot,
    )  # fmt: skip
    texts = list(MemoryLine.objects.filter(learner=alice).values_list("text", flat=True))
    assert 0 < len(texts) <= MEMORY_MAX_LINES
    assert sum(map(len, texts)) <= MEMORY_MAX_CHARS


def test_an_update_never_overwrites_an_edit_made_meanwhile(alice: User) -> None:
    (line,) = remember(alice, SISTER)
    conversation = make_conversation(alice)
    data = memory_update_input(alice.pk)
    assert data is not None
    memory_edit_line(learner=alice, line_id=line.pk, text="My sister lives in Marseille")
    assert not memory_replace(
        learner_id=alice.pk, lines=[SISTER], conversation_ids=data.pending,
        source_id=conversation.pk, expected=data.snapshot,
    )  # fmt: skip
    assert MemoryLine.objects.get(pk=line.pk).text == "My sister lives in Marseille"
    conversation.refresh_from_db()
    assert conversation.remembered_at is None  # left for the next update
    assert memory_update_input(alice.pk) is not None


def test_an_unchanged_line_keeps_where_it_came_from(alice: User) -> None:
    first = make_conversation(alice)
    data = memory_update_input(alice.pk)
    assert data is not None
    memory_replace(
        learner_id=alice.pk, lines=[SISTER], conversation_ids=data.pending,
        source_id=first.pk, expected=data.snapshot,
    )  # fmt: skip
    second = make_conversation(alice)
    data = memory_update_input(alice.pk)
    assert data is not None and data.lines == [SISTER] and data.pending == [second.pk]
    memory_replace(
        learner_id=alice.pk, lines=[("goal", "Wants to travel to Peru"), SISTER],
        conversation_ids=data.pending, source_id=second.pk, expected=data.snapshot,
    )  # fmt: skip
    sources = dict(MemoryLine.objects.filter(learner=alice).values_list("text", "source_id"))
    assert sources == {SISTER[1]: first.pk, "Wants to travel to Peru": second.pk}


def test_an_update_reads_only_the_newest_conversations_and_their_last_turns(alice: User) -> None:
    now = timezone.now()
    made = [
        make_conversation(alice, started_at=now - timedelta(hours=5 - i), minutes=1)
        for i in range(5)
    ]
    alice.tutor_memory_since = now - timedelta(days=1)
    alice.save()
    data = memory_update_input(alice.pk)
    assert data is not None
    assert set(data.pending) == {c.pk for c in made}
    assert [t.conversation_id for t in data.transcripts] == [c.pk for c in made[-3:]]


def test_corrections_that_come_back_are_recurring_errors(alice: User) -> None:
    for _ in range(2):
        make_conversation(alice, corrections=[(3, "Ayer yo voy", "Ayer fui", "grammar")])
    make_conversation(alice, corrections=[(3, "Yo soy cansado", "Estoy cansado", "grammar")])
    recurring = recurring_errors(alice)
    assert len(recurring) == 1 and "«Ayer fui»" in recurring[0]
    assert memory_update_input(alice.pk).recurring == recurring  # type: ignore[union-attr]


# -- the learner's edits ----------------------------------------------------------------


def test_an_edit_past_the_budget_or_blank_is_refused_with_a_reason(alice: User) -> None:
    lines = remember(
        alice,
        *[("interest", f"{n}" * 100) for n in range(6)],  # 600 characters: full
    )
    with pytest.raises(MemoryRefused, match="at most 600 characters"):
        memory_edit_line(learner=alice, line_id=lines[0].pk, text="x" * 119)
    with pytest.raises(MemoryRefused, match="cannot be empty"):
        memory_edit_line(learner=alice, line_id=lines[0].pk, text="   ")
    with pytest.raises(MemoryRefused, match="under 120"):
        memory_edit_line(learner=alice, line_id=lines[0].pk, text="y" * 121)
    assert MemoryLine.objects.get(pk=lines[0].pk).text == "0" * 100


def test_nobody_edits_another_learners_line(alice: User, charlie: User) -> None:
    (line,) = remember(alice, SISTER)
    with pytest.raises(MemoryLine.DoesNotExist):
        memory_edit_line(learner=charlie, line_id=line.pk, text="Mine now")


# -- the off switch ---------------------------------------------------------------------


def test_with_memory_off_nothing_is_updated_or_given_to_the_tutor(alice: User) -> None:
    remember(alice, SISTER)
    conversation = conversation_start(learner=alice)
    assert memory_for_prompt(conversation) == [SISTER]
    memory_switch(learner=alice, on=False)
    conversation = Conversation.objects.select_related("learner").get(pk=conversation.pk)
    assert memory_for_prompt(conversation) == []
    make_conversation(alice)
    assert memory_update_input(alice.pk) is None
    assert MemoryLine.objects.filter(learner=alice).count() == 1  # kept, unused


def test_turning_memory_off_can_forget_everything(alice: User) -> None:
    remember(alice, SISTER)
    memory_switch(learner=alice, on=False, forget=True)
    assert not MemoryLine.objects.filter(learner=alice).exists()


def test_turned_on_again_it_takes_in_only_what_ends_from_then_on(alice: User) -> None:
    memory_switch(learner=alice, on=False)
    while_off = make_conversation(alice)
    memory_switch(learner=alice, on=True)
    assert pending_conversations(alice) == []
    after = make_conversation(alice, started_at=timezone.now(), minutes=1)
    assert [c.pk for c in pending_conversations(alice)] == [after.pk]
    assert while_off.pk not in memory_update_input(alice.pk).pending  # type: ignore[union-attr]


def test_an_update_read_before_memory_was_turned_off_stores_nothing(alice: User) -> None:
    conversation = make_conversation(alice)
    data = memory_update_input(alice.pk)
    assert data is not None
    memory_switch(learner=alice, on=False)
    assert not memory_replace(
        learner_id=alice.pk, lines=[SISTER], conversation_ids=data.pending,
        source_id=conversation.pk, expected=memory_snapshot(alice.pk),
    )  # fmt: skip
    assert not MemoryLine.objects.exists()


# -- trials ------------------------------------------------------------------------------


def test_a_trial_is_never_remembered_nor_given_a_memory(alice: User) -> None:
    trial = make_conversation(None)
    assert memory_for_prompt(trial) == []
    # Attached to an account at sign-up, it started before the account's memory did.
    trial.learner, trial.trial_session_key = alice, ""
    trial.started_at = trial.ended_at = alice.tutor_memory_since - timedelta(minutes=1)
    trial.save()
    assert pending_conversations(alice) == []


def test_a_trial_still_held_by_its_browser_is_never_pending(alice: User) -> None:
    trial = make_conversation(None)
    Conversation.objects.filter(pk=trial.pk).update(learner=alice)  # owned, but still a trial
    assert pending_conversations(alice) == []


# -- deletion and export -----------------------------------------------------------------


def test_deleting_the_account_deletes_its_memory(client: Client, alice: User) -> None:
    remember(alice, SISTER)
    client.force_login(alice)
    response = client.post(reverse("accounts:delete"), {"confirm": "DELETE"})
    assert response.status_code == 302
    assert not MemoryLine.objects.exists()


def test_deleting_the_source_conversation_keeps_the_line(alice: User) -> None:
    conversation = make_conversation(alice)
    line = MemoryLine.objects.create(learner=alice, kind="place", text="Lyon", source=conversation)
    conversation.delete()
    line.refresh_from_db()
    assert line.source_id is None


def test_the_export_holds_the_memory(client: Client, alice: User, charlie: User) -> None:
    conversation = make_conversation(alice)
    MemoryLine.objects.create(learner=alice, kind="person", text=SISTER[1], source=conversation)
    remember(charlie, ("place", "Charlie's town"))
    client.force_login(alice)
    document = json.loads(client.get(reverse("learn:export_json")).content)
    assert [(m["kind"], m["text"]) for m in document["memory"]] == [SISTER]
    assert document["memory"][0]["conversation_id"] == str(conversation.pk)
    assert document["account"]["tutor_memory"] is True
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("learn:export_csv")).content))
    text = archive.read("memory.csv").decode("utf-8-sig")
    assert "mi hermana vive en Lyon" in text and "Charlie" not in text
    assert "memory.csv" in archive.read("README.txt").decode()


# -- teachers never see it ---------------------------------------------------------------


@pytest.mark.usefixtures("fast_passwords")
@override_settings(GEMINI_API_KEY="", GOOGLE_GEMINI_BASE_URL="", METRICS_TOKEN="")
def test_no_page_a_teacher_can_open_shows_what_the_tutor_remembers(
    client: Client, personas: Personas
) -> None:
    """Every page of the permission matrix that bob (alice's teacher) may open, whatever
    pages are added later: the line the tutor remembers of alice is on none of them."""
    world: World = make_world(personas)
    assert world.memory is not None and world.memory.text == "Has a sister in Lyon"
    client.force_login(personas.bob)
    seen = 0
    for key, row in ROWS.items():
        if row.method != "get" or row.expect["bob"] != 200:
            continue
        response = client.get(row.url(world))
        body = b"".join(response) if response.streaming else response.content
        assert b"sister in Lyon" not in body, key
        seen += 1
    assert seen > 20  # the teacher's dashboard, classes, learners, transcripts, evidence...
    assert (
        "What your tutor remembers" not in client.get(reverse("accounts:profile")).content.decode()
    )


def test_a_class_that_keeps_no_memory_wins_over_the_learners_switch(
    client: Client, personas: Personas
) -> None:
    alice = personas.alice
    remember(alice, SISTER)
    conversation = conversation_start(learner=alice)
    make_conversation(alice)
    assert memory_for_prompt(conversation) == [SISTER]
    personas.classroom.tutor_memory = False
    personas.classroom.save()
    conversation = Conversation.objects.select_related("learner").get(pk=conversation.pk)
    assert memory_for_prompt(conversation) == []
    assert memory_update_input(alice.pk) is None
    client.force_login(alice)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "One of your classes does not let the tutor remember its learners" in html
