"""The project's identity: companies and the custom user (DECISIONS §2, accounts.md)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

WORD_VALIDATOR = RegexValidator(r"^\w+\Z", "Only letters, digits and underscores are allowed.")


class UserRole(models.TextChoices):
    """VRt roles (the seed's 7.9.2527 set)."""

    ADMIN = "ADMIN"
    PARTNER = "PARTNER"
    USER = "USER"
    BOT = "BOT"


class Company(models.Model):
    """A customer organisation; every user belongs to one."""

    key = models.CharField(max_length=256, unique=True, validators=[MinLengthValidator(3), WORD_VALIDATOR])
    name = models.CharField(max_length=256, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(condition=Q(key__regex=r"^\w{3,}$"), name="accounts_company_key_format"),
        ]

    def __str__(self) -> str:
        return self.name or self.key


def default_company() -> Company:
    company, _ = Company.objects.get_or_create(
        key=settings.DEFAULT_COMPANY_KEY, defaults={"name": settings.DEFAULT_COMPANY_KEY}
    )
    return company


class AccountUserManager(UserManager):
    """``create_user``/``createsuperuser`` put a user without a company into the default one."""

    def _create_user_object(self, username, email, password, **extra_fields):
        if extra_fields.get("company") is None and extra_fields.get("company_id") is None:
            extra_fields["company"] = default_company()
        return super()._create_user_object(username, email or None, password, **extra_fields)


class User(AbstractUser):
    """A person or program using any of the five APIs, with the VRt account fields."""

    username = models.CharField(
        max_length=256,
        unique=True,
        validators=[MinLengthValidator(2), WORD_VALIDATOR],
        help_text="2 to 256 letters, digits or underscores.",
        error_messages={"unique": "A user with that username already exists."},
    )
    email = models.CharField(max_length=256, null=True, blank=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="users")
    roles = ArrayField(
        models.CharField(max_length=16, choices=UserRole.choices),
        default=list,
        blank=True,
        size=2,
    )
    timezone = models.SmallIntegerField(
        default=0,
        validators=[MinValueValidator(-12), MaxValueValidator(12)],
        help_text="Fixed UTC offset in hours (-12..12); the user's billing day starts there.",
    )
    specification = models.CharField(max_length=256, null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    attributes = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True, help_text="A disabled user cannot log in and every token is refused.")
    token_version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Bumped on each password change; older tokens die."
    )
    edit_date = models.DateTimeField(auto_now=True)

    objects = AccountUserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(timezone__gte=-12, timezone__lte=12), name="accounts_user_timezone_range"
            ),
            models.CheckConstraint(condition=Q(username__regex=r"^\w{2,}$"), name="accounts_user_username_format"),
            models.CheckConstraint(condition=Q(roles__len__lte=2), name="accounts_user_roles_at_most_two"),
        ]
        indexes = [models.Index(fields=["company", "username"], name="accounts_user_company_idx")]

    # Django's admin and auth backends read ``is_active``; the VRt field is ``enabled``.
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.enabled

    @is_active.setter
    def is_active(self, value: bool) -> None:
        self.enabled = value

    @property
    def creation_date(self):
        return self.date_joined

    @property
    def full_name(self) -> str:
        return self.get_full_name() or self.username

    def set_password(self, raw_password: str | None) -> None:
        """Setting a password revokes every token issued before (DECISIONS §3)."""
        super().set_password(raw_password)
        if self.pk is not None:
            self.token_version = (self.token_version or 0) + 1

    def clean(self) -> None:
        super().clean()
        if not self.email:
            self.email = None  # VRt clients reject "" (accounts.md, 4)
        if len(set(self.roles)) != len(self.roles):
            from django.core.exceptions import ValidationError

            raise ValidationError({"roles": "Roles must be unique."})

    def save(self, *args, **kwargs):
        if self.company_id is None:
            self.company = default_company()
        super().save(*args, **kwargs)
