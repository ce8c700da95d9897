from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import (
    CAN_DO,
    LANGUAGE_NAMES,
    LEVEL_ORDER,
    TARGET_LANGUAGES,
    TUTOR_VOICES,
    Level,
    Role,
)
from accounts.models import User


class SignupExtraForm(forms.Form):
    """Extra sign-up fields allauth adds to its form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        max_length=60, required=False, help_text=_("What should your tutor call you?")
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        # Signed in, the site follows the native language, so start it at the language the
        # visitor was reading (switcher or browser): onboarding then stays in it, preselected.
        reading = get_language()
        if reading in LANGUAGE_NAMES:
            user.native_language = reading
            if user.target_language == reading:
                user.target_language = other_language(reading)
        user.save(update_fields=["display_name", "native_language", "target_language"])


class LevelRadio(forms.RadioSelect):
    template_name = "accounts/widgets/level_radio.html"


class CheckboxChips(forms.CheckboxSelectMultiple):
    template_name = "accounts/widgets/checkbox_chips.html"


LEARNING_FIELDS = [
    "display_name",
    "native_language",
    "target_language",
    "level",
    "correction_style",
]
TEACHING_FIELDS = ["teaching_languages", "teaching_level_min", "teaching_level_max"]
LABELS = {
    "display_name": _("Display name"),
    "native_language": _("I speak (native language)"),
    "target_language": _("I am learning"),
    "level": _("My speaking level"),
    "correction_style": _("When I make a mistake"),
    "role": _("I am here as a"),
    "tutor_voice": _("My tutor's voice in free talk"),
    "teaching_level_min": _("From level"),
    "teaching_level_max": _("To level"),
}


def teaching_languages_field(*, required: bool) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=TARGET_LANGUAGES,
        widget=CheckboxChips,
        label=_("I teach"),
        required=required,
        help_text=_("Tick every language you teach: your topic library lists them first."),
        error_messages={"required": _("Tick at least one language you teach.")},
    )


class TeachingLevelsMixin:
    """Languages taught in the checkboxes' order; the lowest level not above the highest."""

    def clean_teaching_languages(self) -> list[str]:
        ticked = set(self.cleaned_data["teaching_languages"])  # type: ignore[attr-defined]
        return [code for code, _name in TARGET_LANGUAGES if code in ticked]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        low, high = data.get("teaching_level_min"), data.get("teaching_level_max")
        if low and high and LEVEL_ORDER.index(low) > LEVEL_ORDER.index(high):
            self.add_error(  # type: ignore[attr-defined]
                "teaching_level_max", _("The highest level must not be below the lowest.")
            )
        return data


class ProfileForm(TeachingLevelsMixin, forms.ModelForm):  # type: ignore[type-arg]
    """The profile page: languages, level, style, role; for a teacher, what they teach."""

    teaching_languages = teaching_languages_field(required=False)

    class Meta:
        model = User
        fields = [*LEARNING_FIELDS, "tutor_voice", "role", *TEACHING_FIELDS]
        widgets = {
            "level": LevelRadio,
            "correction_style": forms.RadioSelect,
            "role": forms.RadioSelect,
        }
        labels = LABELS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].choices = [  # type: ignore[attr-defined]
                (level.value, format_lazy("{} — {}", level.label, CAN_DO[level.value]))
                for level in Level
            ]
        if "tutor_voice" in self.fields:
            field = self.fields["tutor_voice"]
            field.choices = [("", _("The language's usual voice")), *TUTOR_VOICES]  # type: ignore[attr-defined]
            field.help_text = _("Role-plays bring their own voices.")
        if not self.instance.is_teacher:
            for name in TEACHING_FIELDS:
                self.fields.pop(name, None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        native, target = data.get("native_language"), data.get("target_language")
        if native and native == target:
            name = LANGUAGE_NAMES.get(str(target), str(target))
            self.add_error(
                "target_language",
                gettext("You already speak %(name)s: pick another language.") % {"name": name},
            )
        return data


class LearnerOnboardingForm(ProfileForm):
    """Onboarding for a learner: what they learn and how well they speak it."""

    class Meta(ProfileForm.Meta):
        fields = LEARNING_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in TEACHING_FIELDS:
            self.fields.pop(name, None)

    def save(self, commit: bool = True) -> User:
        self.instance.role = Role.LEARNER
        return super().save(commit)  # type: ignore[no-any-return]


class TeacherOnboardingForm(TeachingLevelsMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Onboarding for a teacher: what they teach, to which levels."""

    teaching_languages = teaching_languages_field(required=True)

    class Meta:
        model = User
        fields = ["display_name", "native_language", *TEACHING_FIELDS]
        labels = {**LABELS, "display_name": _("Your name, as your learners know you")}

    def save(self, commit: bool = True) -> User:
        user: User = self.instance
        user.role = Role.TEACHER
        if user.target_language == user.native_language:
            # A teacher need not be learning anything, but the learner's side of the account
            # must still name a language other than their own.
            user.target_language = other_language(user.native_language)
        return super().save(commit)  # type: ignore[no-any-return]


def other_language(native: str) -> str:
    return next(code for code in ("en", "es", *dict(TARGET_LANGUAGES)) if code != native)


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=10,
        help_text=_("This removes your account, conversations, corrections and phrases for good."),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != "DELETE":
            raise forms.ValidationError(_("Type DELETE in capital letters to confirm."))
        return value
