"""Forms for opening a group conversation: a learner's (a topic or free talk, a level) and a
teacher's from an assignment (a level, the room's size, learners of the class to invite)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import Level
from accounts.models import User
from lessons.models import Topic
from lessons.models.groups import MAX_MEMBERS, MIN_MEMBERS

SIZE_CHOICES = [(n, str(n)) for n in range(MIN_MEMBERS, MAX_MEMBERS + 1)]


class GroupStartForm(forms.Form):
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        label=_("Topic"),
        empty_label=_("Free talk"),
    )
    level = forms.ChoiceField(choices=Level.choices, label=_("Level"))

    def __init__(self, *args: Any, learner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = (  # type: ignore[attr-defined]
            Topic.objects.visible_to(learner)
            .for_language(learner.target_language)
            .order_by("level_min", "title")
        )
        self.fields["level"].initial = learner.level


class TeacherGroupForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices, label=_("Level"))
    max_members = forms.TypedChoiceField(
        choices=SIZE_CHOICES, coerce=int, initial=MAX_MEMBERS, label=_("Learners in the room")
    )
    invited = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Invite learners of the class"),
        help_text=_("Or leave this empty and share the invite link."),
    )

    def __init__(self, *args: Any, classroom_learners: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invited"]
        field.queryset = classroom_learners  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: user.name  # type: ignore[attr-defined]
        self.fields["level"].initial = level

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        invited, size = data.get("invited") or [], data.get("max_members") or MAX_MEMBERS
        if len(invited) > size:
            self.add_error(
                "invited", _("Invite at most %(n)s learners to this room.") % {"n": size}
            )
        return data
