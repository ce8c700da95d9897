"""Conversations worth a teacher's look: very short, mostly in the native language, or the same
kind of error again and again. A conversation leaves the queue once its teacher comments on it
(`lessons.services.comments.comment_add`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.choices import LANGUAGE_NAMES
from lessons.models import Comment, Conversation, Correction, Membership, Turn
from lessons.text.language_guess import native_share

if TYPE_CHECKING:
    from accounts.models import User

SHORT_SECONDS = 60  # less learner speech than this …
MIN_LEARNER_TURNS = 3  # … or fewer turns than this is "very short"
NATIVE_SHARE = 0.5  # at least this share of classified words in the native language
REPEATED_KIND = 3  # the same correction kind at least this many times
CANDIDATES = 200  # the most recent finished conversations examined


@dataclass(frozen=True)
class Flag:
    code: str  # short | native | repeated
    label: str


@dataclass(frozen=True)
class ReviewItem:
    conversation: Conversation
    flags: list[Flag]
    reviewed: bool


def review_queue(teacher: User, *, include_reviewed: bool = False) -> list[ReviewItem]:
    """Flagged finished conversations from the teacher's assignments, newest first.

    Only conversations of current members count; three queries whatever their number.
    """
    conversations = _candidates(teacher, include_reviewed)
    ids = [c.pk for c in conversations]
    turns: dict[object, list[str]] = defaultdict(list)
    for conversation_id, text in Turn.objects.filter(
        conversation__in=ids, speaker=Turn.Speaker.LEARNER
    ).values_list("conversation_id", "text"):
        turns[conversation_id].append(text)
    kinds: dict[object, Counter[str]] = defaultdict(Counter)
    for row in (
        Correction.objects.filter(turn__conversation__in=ids)
        .values("turn__conversation_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        kinds[row["turn__conversation_id"]][row["kind"]] = row["n"]
    items = []
    for conversation in conversations:
        flags = flags_for(conversation, turns[conversation.pk], kinds[conversation.pk])
        if flags:
            items.append(ReviewItem(conversation, flags, getattr(conversation, "reviewed", False)))
    return items


def _candidates(teacher: User, include_reviewed: bool) -> list[Conversation]:
    member = Membership.objects.filter(
        classroom=OuterRef("assignment__classroom"), learner=OuterRef("learner")
    )
    reviewed = Comment.objects.filter(conversation=OuterRef("pk"), author=teacher)
    queryset = (
        Conversation.objects.filter(assignment__classroom__teacher=teacher, learner__isnull=False)
        .exclude(status=Conversation.Status.ACTIVE)
        .filter(Exists(member))
        .annotate(reviewed=Exists(reviewed))
        .select_related("learner", "assignment__topic", "assignment__classroom")
        .order_by("-started_at")
    )
    if not include_reviewed:
        queryset = queryset.filter(reviewed=False)
    return list(queryset[:CANDIDATES])


def flags_for(conversation: Conversation, texts: list[str], kinds: Counter[str]) -> list[Flag]:
    flags = []
    if conversation.learner_seconds < SHORT_SECONDS:
        minutes = conversation.learner_seconds / 60
        flags.append(
            Flag(
                "short",
                _("Very short: %(minutes)s min of speaking") % {"minutes": f"{minutes:.1f}"},
            )
        )
    elif len(texts) < MIN_LEARNER_TURNS:
        message = ngettext(
            "Very short: only %(n)s turn", "Very short: only %(n)s turns", len(texts)
        )
        flags.append(Flag("short", message % {"n": len(texts)}))
    native = conversation.learner.native_language if conversation.learner else "en"
    share = native_share(texts, native=native, target=conversation.language)
    if share is not None and share >= NATIVE_SHARE:
        language = LANGUAGE_NAMES.get(native, native)
        flags.append(
            Flag(
                "native",
                _("Mostly in %(language)s (%(share)s)")
                % {"language": language, "share": f"{share:.0%}"},
            )
        )
    if kinds:
        kind, count = kinds.most_common(1)[0]
        if count >= REPEATED_KIND:
            label = Correction.Kind(kind).label
            message = ngettext(
                "%(kind)s corrected %(n)s time", "%(kind)s corrected %(n)s times", count
            )
            flags.append(Flag("repeated", message % {"kind": label, "n": count}))
    return flags
