from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from accounts.choices import (
    NATIVE_LANGUAGES,
    TARGET_LANGUAGES,
    TUTOR_VOICES,
    CorrectionStyle,
    Level,
    Role,
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, onboarded=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A learner or a teacher. Email is the login; learning data cascades on delete."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=60, blank=True)
    native_language = models.CharField(max_length=8, choices=NATIVE_LANGUAGES, default="en")
    target_language = models.CharField(max_length=8, choices=TARGET_LANGUAGES, default="es")
    level = models.CharField(max_length=2, choices=Level.choices, default=Level.A1)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEARNER)
    correction_style = models.CharField(
        max_length=10, choices=CorrectionStyle.choices, default=CorrectionStyle.RECAST
    )
    onboarded = models.BooleanField(default=False)
    # What a teacher teaches (codes from TARGET_LANGUAGES, in the order they were ticked) and to
    # which levels: new classrooms and the topic library start from these.
    # Database defaults too: a process still running the code before these columns (a rolling
    # upgrade) can go on creating users.
    teaching_languages = models.JSONField(
        default=list, db_default=models.Value([], models.JSONField()), blank=True
    )
    teaching_level_min = models.CharField(
        max_length=2, choices=Level.choices, default=Level.A1, db_default=Level.A1
    )
    teaching_level_max = models.CharField(
        max_length=2, choices=Level.choices, default=Level.C2, db_default=Level.C2
    )
    # The tutor's voice for free talk (a topic's persona brings its own); blank: the
    # language's usual voice.
    tutor_voice = models.CharField(
        max_length=20, choices=TUTOR_VOICES, blank=True, default="", db_default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=Level.values), name="user_level_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(native_language=models.F("target_language")),
                name="user_native_differs_from_target",
            ),
            models.CheckConstraint(
                condition=models.Q(teaching_level_min__lte=models.F("teaching_level_max")),
                name="user_teaching_levels_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def is_teacher(self) -> bool:
        return self.role == Role.TEACHER
