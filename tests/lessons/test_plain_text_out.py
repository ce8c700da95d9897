"""Labels are lazy translations (gettext_lazy) in the models and choices; what leaves the
process must be plain text. The teacher's live view gets a learner's evidence cells through the
Redis channel layer, which packs them with msgpack: a lazy label there fails the send."""

from __future__ import annotations

import msgpack
import pytest

from accounts.models import User
from lessons.models import Classroom
from lessons.selectors.evidence import live_evidence
from tests.lessons.teaching import make_assignment


@pytest.mark.django_db
def test_the_live_evidence_cells_pack_as_the_redis_layer_packs_them(
    alice: User, personas: object
) -> None:
    classroom = Classroom.objects.get(name="Spanish 2B")
    assignment = make_assignment(classroom)
    cells = live_evidence(assignment.pk, alice.pk)
    packed = msgpack.unpackb(msgpack.packb(cells))
    labels = [cell[1] for cell in packed["corrections"]]
    assert labels == ["Grammar", "Vocabulary", "Pronunciation", "Register", "Said better"]
