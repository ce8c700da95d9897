"""The domain: topics, classrooms, assignments, conversations and what was said in them."""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts.choices import TARGET_LANGUAGES, CorrectionStyle, Level
from lessons.querysets import ConversationQuerySet, PhraseQuerySet, TopicQuerySet

# Join codes avoid look-alike characters (0/O, 1/I/L) so they can be read aloud in class.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


# What a topic says (as opposed to who owns it): the library files, the portable export and
# the teachers' form all carry these.
TOPIC_CONTENT_FIELDS = (
    "title",
    "level_min",
    "level_max",
    "scenario",
    "tutor_role",
    "learner_goal",
    "target_phrases",
    "grammar_focus",
    "opener",
)


class Topic(models.Model):
    """A conversation topic or role-play: built in (author empty) or written by a teacher."""

    slug = models.SlugField(max_length=80)
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    title = models.CharField(max_length=120)
    level_min = models.CharField(max_length=2, choices=Level.choices, default=Level.A1)
    level_max = models.CharField(max_length=2, choices=Level.choices, default=Level.C2)
    scenario = models.TextField()
    tutor_role = models.CharField(max_length=200)
    learner_goal = models.CharField(max_length=300, blank=True)
    target_phrases = models.JSONField(default=list, blank=True)
    grammar_focus = models.CharField(max_length=200, blank=True)
    opener = models.CharField(max_length=300, blank=True)
    # Blank: the learner's own preference; set by a teacher to override it for a role-play.
    correction_style = models.CharField(max_length=10, choices=CorrectionStyle.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="authored_topics",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[TopicQuerySet] = TopicQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["language", "level_min", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                condition=Q(author__isnull=True),
                name="topic_builtin_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["author", "language", "slug"],
                condition=Q(author__isnull=False),
                name="topic_authored_slug_unique",
            ),
            models.CheckConstraint(
                condition=Q(level_min__in=Level.values) & Q(level_max__in=Level.values),
                name="topic_levels_valid",
            ),
            # CEFR codes sort alphabetically in level order (A1 < A2 < B1 ... < C2).
            models.CheckConstraint(
                condition=Q(level_min__lte=F("level_max")), name="topic_level_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_language_display()}, {self.level_range})"

    @property
    def level_range(self) -> str:
        if self.level_min == self.level_max:
            return self.level_min
        return f"{self.level_min}–{self.level_max}"

    @property
    def is_builtin(self) -> bool:
        return self.author_id is None


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(max_length=120)
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    level_min = models.CharField(max_length=2, choices=Level.choices, default=Level.A1)
    level_max = models.CharField(max_length=2, choices=Level.choices, default=Level.C2)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level_min__lte=F("level_max")), name="classroom_level_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "learner"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.classroom}"


class Assignment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    # RESTRICT, not PROTECT: a topic stays while assigned, yet deleting its teacher (whose
    # classrooms, and so assignments, go too) must not fail.
    topic = models.ForeignKey(Topic, on_delete=models.RESTRICT, related_name="assignments")
    instructions = models.TextField(blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    min_speaking_minutes = models.PositiveSmallIntegerField(default=5)
    correction_style = models.CharField(max_length=10, choices=CorrectionStyle.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gt=F("starts_at")), name="assignment_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic.title} · {self.classroom.name}"


class Conversation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        ENDED = "ended", "Ended"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Null for an anonymous trial, which belongs to a browser session until sign-up.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    trial_session_key = models.CharField(max_length=64, blank=True, db_index=True)
    trial_ip = models.GenericIPAddressField(null=True, blank=True)
    # Where a signed-in learner started it from, for the per-IP start limit; cleared once the
    # limit's hour is over (lessons.services.retention), like trial_ip after its window.
    start_ip = models.GenericIPAddressField(null=True, blank=True)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    assignment = models.ForeignKey(
        Assignment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    level = models.CharField(max_length=2, choices=Level.choices)
    correction_style = models.CharField(
        max_length=10, choices=CorrectionStyle.choices, default=CorrectionStyle.RECAST
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    end_reason = models.CharField(max_length=40, blank=True)
    model = models.CharField(max_length=80, blank=True)
    voice = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The trial clock starts at the first audio the server receives, never at page load.
    first_audio_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The runtime's heartbeat (and every stored turn) moves this on; a conversation still
    # active with an old value has no live process behind it (lessons.services.sweep).
    last_activity_at = models.DateTimeField(null=True, blank=True)
    reconnect_count = models.PositiveIntegerField(default=0)
    learner_seconds = models.FloatField(default=0.0)
    tutor_seconds = models.FloatField(default=0.0)
    # Running totals of the stored turns (lessons.services.totals): the learner's words and each
    # speaker's summed turn time, so a whole history is summed without reading every turn.
    learner_words = models.PositiveIntegerField(default=0)
    learner_turn_ms = models.PositiveIntegerField(default=0)
    tutor_turn_ms = models.PositiveIntegerField(default=0)
    # And of its corrections, one per kind (Correction.Kind), named "<kind>_corrections".
    grammar_corrections = models.PositiveIntegerField(default=0)
    vocabulary_corrections = models.PositiveIntegerField(default=0)
    pronunciation_corrections = models.PositiveIntegerField(default=0)
    register_corrections = models.PositiveIntegerField(default=0)
    degraded = models.BooleanField(default=False)
    latency_p50_ms = models.PositiveIntegerField(null=True, blank=True)
    latency_p95_ms = models.PositiveIntegerField(null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(default=0)
    response_tokens = models.PositiveIntegerField(default=0)
    total_tokens = models.PositiveIntegerField(default=0)
    # Phrases the tutor noted during an anonymous trial, carded when the trial is attached.
    trial_phrases = models.JSONField(default=list, blank=True)
    # The Live session's resumption handle, left by a server process that handed the
    # conversation to another (lessons.services.handover), and the turn count it covers:
    # the next owner resumes from it only if no turn was stored since, and clears it.
    live_handle = models.TextField(blank=True)
    live_handle_turns = models.PositiveIntegerField(null=True, blank=True)

    objects: ClassVar[ConversationQuerySet] = ConversationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(learner__isnull=False) | ~Q(trial_session_key=""),
                name="conversation_has_owner",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="conversation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} conversation {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("tutor:conversation", args=[self.pk])

    @property
    def is_trial(self) -> bool:
        return self.learner_id is None

    @property
    def duration_seconds(self) -> float:
        end = self.ended_at or timezone.now()
        return max(0.0, (end - self.started_at).total_seconds())


class Turn(models.Model):
    class Speaker(models.TextChoices):
        LEARNER = "learner", "Learner"
        TUTOR = "tutor", "Tutor"

    class Source(models.TextChoices):
        SPEECH = "speech", "Speech"
        TYPED = "typed", "Typed"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    ordinal = models.PositiveIntegerField()
    speaker = models.CharField(max_length=8, choices=Speaker.choices)
    text = models.TextField()
    started_ms = models.PositiveIntegerField(default=0)
    ended_ms = models.PositiveIntegerField(default=0)
    interrupted = models.BooleanField(default=False)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.SPEECH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "ordinal"], name="turn_ordinal_unique"),
            models.CheckConstraint(
                condition=Q(ended_ms__gte=F("started_ms")), name="turn_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}. {self.speaker}: {self.text[:40]}"

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def correction_count_field(kind: str) -> str:
    """The Conversation column counting its corrections of `kind` (a Correction.Kind value)."""
    return f"{Correction.Kind(kind).value}_corrections"


class Correction(models.Model):
    class Kind(models.TextChoices):
        GRAMMAR = "grammar", "Grammar"
        VOCABULARY = "vocabulary", "Vocabulary"
        PRONUNCIATION = "pronunciation", "Pronunciation"
        REGISTER = "register", "Register"

    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="corrections")
    original = models.TextField()
    corrected = models.TextField()
    explanation = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GRAMMAR)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["turn", "id"]

    def __str__(self) -> str:
        return f"{self.original} → {self.corrected}"


class Phrase(models.Model):
    """A card in the learner's deck, scheduled with FSRS (state mirrors `fsrs.Card`)."""

    class State(models.IntegerChoices):
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phrases"
    )
    language = models.CharField(max_length=8, choices=TARGET_LANGUAGES)
    text = models.CharField(max_length=300)
    translation = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrases"
    )
    source_correction = models.OneToOneField(
        Correction, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrase"
    )
    source_turn = models.ForeignKey(
        Turn, null=True, blank=True, on_delete=models.SET_NULL, related_name="phrases"
    )
    # Every conversation that noted this card, the first one and any later one that noted the
    # same text again (the deck keeps one card per text): a conversation's record lists what it
    # noted, new cards or not (lessons.selectors.counts).
    noted_in = models.ManyToManyField(Conversation, blank=True, related_name="noted_phrases")
    created_at = models.DateTimeField(default=timezone.now)
    # FSRS scheduling state.
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now, db_index=True)
    last_review = models.DateTimeField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)

    objects: ClassVar[PhraseQuerySet] = PhraseQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "language", "text"], name="phrase_unique_per_learner"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Review(models.Model):
    """One grade given to a phrase card (the FSRS review log)."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    phrase = models.ForeignKey(Phrase, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.phrase} graded {self.get_rating_display()}"


class DrillAttempt(models.Model):
    """One answer to a card checked on the drill page: spoken (heard by Gemini) or typed.

    Kept for the learner's own record, and to count spoken checks per learner and per address
    for their rate limits (settings DRILL_CHECKS_PER_HOUR, DRILL_CHECKS_PER_IP_PER_HOUR)."""

    class Mode(models.TextChoices):
        SPOKEN = "spoken", "Spoken"
        TYPED = "typed", "Typed"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_attempts"
    )
    phrase = models.ForeignKey(Phrase, on_delete=models.CASCADE, related_name="attempts")
    mode = models.CharField(max_length=8, choices=Mode.choices)
    heard = models.CharField(max_length=500, blank=True)
    matched = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} answer to {self.phrase_id}: {self.heard!r}"


class PhraseAudio(models.Model):
    """A card's model answer read aloud by the server's text-to-speech, kept so that each card
    is synthesised once. Goes with the card (and so with the account)."""

    phrase = models.OneToOneField(Phrase, on_delete=models.CASCADE, related_name="audio")
    text = models.CharField(max_length=300)  # what was spoken: a changed card speaks again
    voice = models.CharField(max_length=40)
    model = models.CharField(max_length=80)
    wav = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Audio of {self.text!r} ({self.voice})"


class Comment(models.Model):
    """A teacher's note on a learner's conversation, shown to the learner on the review page."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    text = models.TextField(max_length=2000)
    turn = models.ForeignKey(Turn, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.conversation_id}"


class LearnerAudioStorage(FileSystemStorage):
    """Files under LEARNER_AUDIO_DIR, read when used (not at import). No URL serves them."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.LEARNER_AUDIO_DIR)

    @property
    def location(self) -> str:  # type: ignore[override]
        return str(settings.LEARNER_AUDIO_DIR.resolve())


def turn_audio_path(instance: TurnAudio, filename: str) -> str:
    return f"{instance.turn.conversation_id}/{filename}"


class TurnAudio(models.Model):
    """A learner's own voice for one spoken turn: 16 kHz mono PCM16 WAV. Stored only when
    STORE_LEARNER_AUDIO is on, deleted after AUDIO_RETENTION_DAYS (and with its turn)."""

    turn = models.OneToOneField(Turn, on_delete=models.CASCADE, related_name="audio")
    file = models.FileField(storage=LearnerAudioStorage(), upload_to=turn_audio_path)
    seconds = models.FloatField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Audio of {self.turn}"


@receiver(post_delete, sender=TurnAudio)
def _delete_audio_file(sender: type[TurnAudio], instance: TurnAudio, **kwargs: object) -> None:
    """The file goes with its row (also when a conversation or an account is deleted), once
    the deletion is committed: a rolled-back delete keeps both."""
    transaction.on_commit(lambda: instance.file.delete(save=False))
