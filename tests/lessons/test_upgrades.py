""" "Say it better" (`Upgrade`) in the domain: stored once per learner turn, a deck card like a
correction's, the conversation's running total, a trial's upgrades carded on sign-up, the
export, the teacher's evidence, and the learner's review and teacher's transcript pages."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import Conversation, Phrase, Turn, Upgrade
from lessons.selectors.deck import card_face
from lessons.selectors.evidence import assignment_evidence, live_evidence
from lessons.selectors.export import learner_export_csv_zip, learner_export_json
from lessons.services import conversations as services
from lessons.services.totals import conversations_recount
from tests.base import Personas
from tests.lessons.teaching import (
    fast_passwords,  # noqa: F401 (a fixture, used by name)
    make_assignment,
    make_conversation,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

PLAIN = "Me gusta mucho el café."
BETTER = "Me encanta el café."
WHY = "Encantar says 'like a lot' in one word."


def _learner_turn(conversation: Conversation, text: str = PLAIN) -> Turn:
    return services.conversation_record_turn(
        conversation_id=conversation.pk, speaker="learner", text=text
    )


def _upgrade(turn: Turn, upgraded: str = BETTER) -> Upgrade | None:
    return services.conversation_record_upgrade(
        turn_id=turn.pk, original=turn.text, upgraded=upgraded, explanation=WHY
    )


def test_an_upgrade_is_stored_counted_and_becomes_a_card(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    turn = _learner_turn(conversation)
    upgrade = _upgrade(turn)
    assert upgrade is not None
    assert (upgrade.turn, upgrade.original, upgrade.upgraded) == (turn, PLAIN, BETTER)
    card = Phrase.objects.get(learner=alice)
    assert (card.text, card.note, card.source_upgrade, card.source_turn) == (
        BETTER,
        WHY,
        upgrade,
        turn,
    )
    assert list(card.noted_in.all()) == [conversation]
    conversation.refresh_from_db()
    assert conversation.upgrades == 1


def test_a_second_upgrade_of_the_same_turn_is_refused_and_counts_nothing(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    turn = _learner_turn(conversation)
    first = _upgrade(turn)
    assert _upgrade(turn, "Adoro el café.") is None
    assert list(Upgrade.objects.all()) == [first]
    assert list(Phrase.objects.values_list("text", flat=True)) == [BETTER]
    conversation.refresh_from_db()
    assert conversation.upgrades == 1
    # Another turn gets its own.
    assert _upgrade(_learner_turn(conversation, "Vivo en Madrid."), "Resido en Madrid.")
    conversation.refresh_from_db()
    assert conversation.upgrades == 2


def test_recounting_rebuilds_the_upgrade_total(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    _upgrade(_learner_turn(conversation))
    Conversation.objects.filter(pk=conversation.pk).update(upgrades=7)
    conversations_recount([conversation.pk])
    conversation.refresh_from_db()
    assert conversation.upgrades == 1


def test_a_trials_upgrade_waits_for_sign_up_then_becomes_a_card(alice: User) -> None:
    trial = services.conversation_start(learner=None, session_key="k" * 32)
    _upgrade(_learner_turn(trial))
    assert not Phrase.objects.exists()
    services.conversation_attach_trials(user=alice, conversation_ids=[str(trial.pk)])
    card = Phrase.objects.get(learner=alice)
    assert (card.text, card.source_upgrade) == (BETTER, Upgrade.objects.get())


def test_the_export_holds_upgrades_in_json_and_csv(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    turn = _learner_turn(conversation)
    _upgrade(turn)
    document = learner_export_json(alice).decode()
    assert f'"upgrades": [{{"original": "{PLAIN}", "upgraded": "{BETTER}"' in document
    assert '"from_upgrade": true' in document
    archive = learner_export_csv_zip(alice)
    upgrades = zipfile.ZipFile(io.BytesIO(archive)).read("upgrades.csv").decode("utf-8-sig")
    assert upgrades.splitlines()[1].startswith(f"{conversation.pk},{turn.ordinal},{PLAIN},{BETTER}")


def test_the_learners_review_page_shows_the_upgrade_under_its_turn(
    client: Client, alice: User
) -> None:
    conversation = services.conversation_start(learner=alice)
    _upgrade(_learner_turn(conversation))
    client.force_login(alice)
    page = client.get(reverse("learn:conversation_review", args=[conversation.pk])).content.decode()
    assert "Say it better" in page
    assert "<ins>encanta</ins>" in page  # only the changed words marked
    assert WHY.replace("'", "&#x27;") in page
    assert "<dt>Said better</dt><dd>1 " in page


def test_the_teachers_transcript_and_evidence_show_upgrades(
    client: Client, personas: Personas
) -> None:
    assignment = make_assignment(personas.classroom)
    conversation = make_conversation(personas.alice, assignment, said=[PLAIN])
    turn = conversation.turns.filter(speaker="learner").get()
    _upgrade(turn)
    client.force_login(personas.bob)
    page = client.get(reverse("teach:transcript", args=[conversation.pk])).content.decode()
    assert 'aria-label="Said better"' in page
    assert "<ins>encanta</ins>" in page
    assert "· 1 said better" in page
    [row] = assignment_evidence(assignment).rows
    assert row.upgrades == 1
    assert live_evidence(assignment.pk, personas.alice.pk)["corrections"][-1] == [
        "upgrade",
        "Said better",
        1,
    ]
    evidence = client.get(reverse("teach:assignment", args=[assignment.pk])).content.decode()
    assert "Said better 1" in evidence


def test_a_reloaded_conversation_page_draws_its_upgrades_with_the_word_diff(
    client: Client, alice: User
) -> None:
    conversation = services.conversation_start(learner=alice)
    _upgrade(_learner_turn(conversation))
    client.force_login(alice)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert f'data-upgraded="{BETTER}"' in page
    assert "[&quot;encanta&quot;, true]" in page  # the diff the live `upgrade` frame carries
    assert page.count('aria-label="Say it better"') == 1


def test_an_upgrade_card_asks_for_the_better_way_and_shows_what_changed(
    client: Client, alice: User
) -> None:
    conversation = services.conversation_start(learner=alice)
    _upgrade(_learner_turn(conversation))
    face = card_face(Phrase.objects.get())
    assert (face.instruction, face.prompt, face.answer) == ("Say it more naturally:", PLAIN, BETTER)
    assert (face.explanation, face.is_correction, face.is_upgrade) == (WHY, True, True)
    client.force_login(alice)
    page = client.get(reverse("learn:deck")).content.decode()
    assert "Said better" in page and "Say it more naturally:" in page
