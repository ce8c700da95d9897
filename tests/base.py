"""The personas every test speaks of (after healthchecks' hc/test.py).

alice is a learner of Spanish in bob's classroom; bob is her teacher; charlie is an outsider
who must be refused everything of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from lessons.models import Classroom, Membership, Topic

PASSWORD = "correct horse battery staple"


def make_user(email: str, **fields: object) -> User:
    defaults: dict[str, object] = {
        "display_name": email.split("@")[0].title(),
        "onboarded": True,
        "native_language": "en",
        "target_language": "es",
        "level": "A2",
    }
    defaults.update(fields)
    return User.objects.create_user(email=email, password=PASSWORD, **defaults)


def make_topic(**fields: object) -> Topic:
    """A Spanish role-play at a café; tests name the fields that matter to them."""
    values: dict[str, object] = {
        "slug": f"cafe-{Topic.objects.count()}",
        "language": "es",
        "title": "En el café",
        "scenario": "Un café en Madrid.",
        "tutor_role": "camarero",
        "level_min": "A1",
        "level_max": "A2",
    }
    return Topic.objects.create(**{**values, **fields})


@dataclass
class Personas:
    alice: User
    bob: User
    charlie: User
    classroom: Classroom


def make_personas() -> Personas:
    alice = make_user("alice@example.org")
    # The interface follows a signed-in user's native language (accounts/language.py): the
    # personas whose pages tests read in English speak English natively.
    bob = make_user(
        "bob@example.org", role="teacher", level="C2", native_language="en", target_language="es"
    )
    charlie = make_user("charlie@example.org", target_language="fr", level="B1")
    classroom = Classroom.objects.create(
        teacher=bob, name="Spanish 2B", language="es", level_min="A2", level_max="B1"
    )
    Membership.objects.create(classroom=classroom, learner=alice)
    return Personas(alice=alice, bob=bob, charlie=charlie, classroom=classroom)
