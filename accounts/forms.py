from __future__ import annotations

from django import forms
from django.http import HttpRequest

from accounts.choices import CAN_DO, LANGUAGE_NAMES, Level
from accounts.models import User


class SignupExtraForm(forms.Form):
    """Extra sign-up fields allauth adds to its form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        max_length=60, required=False, help_text="What should your tutor call you?"
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.display_name = self.cleaned_data.get("display_name", "").strip()
        user.save(update_fields=["display_name"])


class LevelRadio(forms.RadioSelect):
    template_name = "accounts/widgets/level_radio.html"


class ProfileForm(forms.ModelForm):
    """Onboarding and the profile page share one form: languages, level, style, role."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "native_language",
            "target_language",
            "level",
            "correction_style",
            "role",
        ]
        widgets = {
            "level": LevelRadio,
            "correction_style": forms.RadioSelect,
            "role": forms.RadioSelect,
        }
        labels = {
            "native_language": "I speak (native language)",
            "target_language": "I am learning",
            "level": "My speaking level",
            "correction_style": "When I make a mistake",
            "role": "I am here as a",
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (level.value, f"{level.label} — {CAN_DO[level.value]}") for level in Level
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        native, target = data.get("native_language"), data.get("target_language")
        if native and native == target:
            name = LANGUAGE_NAMES.get(str(target), str(target))
            self.add_error("target_language", f"You already speak {name}: pick another language.")
        return data


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        max_length=10,
        help_text="This removes your account, conversations, corrections and phrases for good.",
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != "DELETE":
            raise forms.ValidationError("Type DELETE in capital letters to confirm.")
        return value
