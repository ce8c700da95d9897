"""Forms for the teacher area and for joining a classroom."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import TUTOR_VOICES, CorrectionStyle
from lessons.models import Assignment, Classroom, Topic, Turn
from lessons.services.classrooms import assignable_topics, normalise_join_code
from lessons.services.privacy import check_within_site
from lessons.topic_io import MAX_BYTES
from lessons.topic_rules import (
    MAX_PHRASES,
    SCENARIO_MAX_LENGTH,
    check_levels,
    clean_phrases,
    unique_slug,
)

# The learner-facing labels speak as the learner ("don't correct me"); these speak to the teacher.
STYLE_CHOICES = [
    ("", _("Leave it to each learner's own setting")),
    (CorrectionStyle.NONE, _("Don't interrupt; note mistakes for the review afterwards")),
    (CorrectionStyle.RECAST, _("Repeat it correctly, without comment")),
    (CorrectionStyle.EXPLAIN, _("Repeat it correctly, with a brief explanation")),
]
# Blank: the voice Tertulia gives the topic's language (tutor/prompts/languages.py).
VOICE_CHOICES = [("", _("The language's usual voice")), *TUTOR_VOICES]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_ATTRS = {"type": "datetime-local"}


class LevelRangeMixin:
    """Lowest level must not be above the highest."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        if data.get("level_min") and data.get("level_max"):
            try:
                check_levels(data["level_min"], data["level_max"])
            except ValidationError as error:
                self.add_error("level_max", error)  # type: ignore[attr-defined]
        return data


class ClassroomForm(LevelRangeMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Classroom
        fields = ["name", "language", "level_min", "level_max"]
        labels = {
            "name": _("Classroom name"),
            "language": _("Language taught"),
            "level_min": _("Lowest level"),
            "level_max": _("Highest level"),
        }
        help_texts = {"name": _("As your learners know it, e.g. “Spanish 2B”.")}


class ClassroomEditForm(LevelRangeMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Name, levels and privacy of an existing classroom (its language stays: its
    assignments and evidence are in it)."""

    class Meta:
        model = Classroom
        fields = [
            "name",
            "level_min",
            "level_max",
            "store_audio",
            "audio_retention_days",
            "transcript_retention_days",
            "tutor_memory",
            "teacher_listens",
        ]
        labels = {
            "name": _("Classroom name"),
            "level_min": _("Lowest level"),
            "level_max": _("Highest level"),
            "store_audio": _("Keep recordings of learners' voices"),
            "audio_retention_days": _("Delete recordings after (days)"),
            "transcript_retention_days": _("Delete transcripts after (days)"),
            "tutor_memory": _("The tutor may remember these learners between conversations"),
            "teacher_listens": _("I may listen to learners' recordings"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site_audio, site_text = settings.AUDIO_RETENTION_DAYS, settings.TRANSCRIPT_RETENTION_DAYS
        fields = self.fields
        if not settings.STORE_LEARNER_AUDIO:  # nothing to keep or listen to on this site
            for name in ("store_audio", "audio_retention_days", "teacher_listens"):
                fields[name].disabled = True
            fields["store_audio"].help_text = _("This site keeps no recordings at all.")
        fields["audio_retention_days"].help_text = gettext(
            "Empty: this site's %(days)s days. Shorter only."
        ) % {"days": site_audio}
        fields["transcript_retention_days"].help_text = (
            gettext("Empty: this site's %(days)s days. Shorter only.") % {"days": site_text}
            if site_text
            else _("Empty: kept until the learner deletes them.")
        )
        fields["tutor_memory"].help_text = _("Off: the tutor forgets them after each conversation.")
        for name in ("audio_retention_days", "transcript_retention_days"):
            fields[name].widget.attrs.update({"min": 1, "inputmode": "numeric"})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            check_within_site(
                audio_retention_days=data.get("audio_retention_days"),
                transcript_retention_days=data.get("transcript_retention_days"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return data


class MoveLearnerForm(forms.Form):
    """Another of the teacher's classrooms in the same language, not archived."""

    classroom = forms.ModelChoiceField(queryset=Classroom.objects.none(), label=_("Move to"))

    def __init__(self, *args: Any, current: Classroom, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["classroom"]
        field.queryset = Classroom.objects.filter(  # type: ignore[attr-defined]
            teacher=current.teacher, language=current.language, archived_at__isnull=True
        ).exclude(pk=current.pk)
        field.empty_label = None  # type: ignore[attr-defined]


# What a code looks like, as lessons.models.new_join_code makes them and the classroom page
# shows them: eight characters from JOIN_CODE_ALPHABET, no separator.
EXAMPLE_JOIN_CODE = "K7PMQ2XR"


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=20,
        help_text=lazy(
            lambda: (
                gettext("Eight letters and digits from your teacher, e.g. %(code)s.")
                % {"code": EXAMPLE_JOIN_CODE}
            ),
            str,
        )(),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        return normalise_join_code(self.cleaned_data["code"])


class TopicForm(LevelRangeMixin, forms.ModelForm):  # type: ignore[type-arg]
    scenario = forms.CharField(
        max_length=SCENARIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where we are and what is happening, as the learner experiences it."),
    )
    phrases = forms.CharField(
        label=_("Target phrases"),
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "la cuenta, por favor\n¿cuánto cuesta?"}
        ),
        help_text=lazy(
            lambda: (
                gettext(
                    "One per line, 1 to %(max)s. The tutor creates moments to use them; "
                    "the evidence table shows who said them."
                )
                % {"max": MAX_PHRASES}
            ),
            str,
        )(),
    )

    class Meta:
        model = Topic
        fields = [
            "title",
            "language",
            "level_min",
            "level_max",
            "scenario",
            "tutor_role",
            "persona_name",
            "voice",
            "learner_goal",
            "grammar_focus",
            "opener",
            "correction_style",
        ]
        labels = {
            "title": _("Title"),
            "language": _("Language"),
            "scenario": _("Scenario"),
            "persona_name": _("The tutor's name in the role (optional)"),
            "voice": _("The tutor's voice"),
            "level_min": _("Lowest level"),
            "level_max": _("Highest level"),
            "tutor_role": _("The tutor plays"),
            "learner_goal": _("The learner's goal"),
            "opener": _("Suggested first line (optional)"),
            "grammar_focus": _("Grammar focus (optional)"),
            "correction_style": _("How the tutor corrects in this role-play"),
        }
        help_texts = {
            "tutor_role": _("e.g. “a waiter in a busy café in Madrid”."),
            "persona_name": _("e.g. “Lucía”. The tutor introduces itself by it."),
            "voice": _("One of Gemini's voices. Press “Hear this voice” to listen to it first."),
            "learner_goal": _("e.g. “order a drink and a snack, then ask for the bill”."),
            "grammar_focus": _("e.g. “polite requests with quisiera / me gustaría”."),
            "opener": _("In the target language; the tutor may say it to start."),
        }
        widgets = {
            "correction_style": forms.RadioSelect(choices=STYLE_CHOICES),
        }

    def __init__(self, *args: Any, author: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.author = author
        self.fields["learner_goal"].required = True
        self.fields["correction_style"].choices = STYLE_CHOICES  # type: ignore[attr-defined]
        self.fields["voice"].choices = VOICE_CHOICES  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["phrases"] = "\n".join(self.instance.target_phrases)

    def clean_phrases(self) -> list[str]:
        return clean_phrases(self.cleaned_data["phrases"].splitlines())

    def save(self, commit: bool = True) -> Topic:
        topic: Topic = super().save(commit=False)
        topic.author = self.author
        topic.target_phrases = self.cleaned_data["phrases"]
        if not topic.slug or "title" in self.changed_data or "language" in self.changed_data:
            topic.slug = unique_slug(
                author=self.author, language=topic.language, title=topic.title, exclude_pk=topic.pk
            )
        if commit:
            topic.save()
        return topic


class TopicChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Topic) -> str:
        origin = gettext("built-in") if obj.is_builtin else gettext("yours")
        return f"{obj.title} · {obj.level_range} · {origin}"


class AssignmentForm(forms.ModelForm):  # type: ignore[type-arg]
    topic = TopicChoiceField(queryset=Topic.objects.none(), label=_("Topic or role-play"))
    min_speaking_minutes = forms.IntegerField(
        label=_("Minimum speaking time (minutes)"),
        min_value=1,
        max_value=120,
        initial=5,
        help_text=_("The learner's own speaking time, added up over attempts."),
    )

    class Meta:
        model = Assignment
        fields = [
            "topic",
            "starts_at",
            "due_at",
            "min_speaking_minutes",
            "correction_style",
            "instructions",
        ]
        labels = {
            "starts_at": _("Opens"),
            "due_at": _("Due"),
            "correction_style": _("How the tutor corrects"),
            "instructions": _("Instructions for learners (optional)"),
        }
        widgets = {
            "starts_at": forms.DateTimeInput(
                format=DATETIME_FORMAT, attrs={"type": "datetime-local"}
            ),
            "due_at": forms.DateTimeInput(format=DATETIME_FORMAT, attrs={"type": "datetime-local"}),
            "correction_style": forms.RadioSelect(choices=STYLE_CHOICES),
            "instructions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, classroom: Classroom, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.classroom = classroom
        field = self.fields["topic"]
        field.queryset = assignable_topics(  # type: ignore[attr-defined]
            teacher=classroom.teacher, language=classroom.language
        )
        self.fields["correction_style"].choices = STYLE_CHOICES  # type: ignore[attr-defined]
        if not self.is_bound and not self.instance.pk:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)
            self.initial.setdefault("due_at", now + timedelta(days=7))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, due = data.get("starts_at"), data.get("due_at")
        if starts and due and due <= starts:
            self.add_error("due_at", _("The due date must come after the opening date."))
        elif due and not self.instance.pk and due <= timezone.now():
            self.add_error("due_at", _("The due date must be in the future."))
        return data

    def save(self, commit: bool = True) -> Assignment:
        assignment: Assignment = super().save(commit=False)
        assignment.classroom = self.classroom
        if commit:
            assignment.save()
        return assignment


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The learner sees it on their review of this conversation."),
    )
    turn = forms.TypedChoiceField(
        label=_("About"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, turns: list[Turn], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.turns = {turn.pk: turn for turn in turns}
        self.fields["turn"].choices = [  # type: ignore[attr-defined]
            ("", _("The whole conversation")),
            *(
                (
                    turn.pk,
                    gettext("Turn %(n)s: %(text)s")
                    % {"n": turn.ordinal + 1, "text": turn.text[:60]},
                )
                for turn in turns
            ),
        ]

    def clean_turn(self) -> Turn | None:
        pk = self.cleaned_data.get("turn")
        return self.turns.get(pk) if pk is not None else None


class TopicImportForm(forms.Form):
    file = forms.FileField(
        label=_("Topics file (.json)"),
        help_text=_("A file exported from Tertulia. Imported topics become yours."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is larger than %(kb)s KB.") % {"kb": MAX_BYTES // 1024}
            )
        return upload
