"""The unit routes database: pizzerias ("units"), Telegram chats, report types, routes and chat roles."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

NAME_LENGTH = 64
# Telegram full names and group titles can exceed the original's 64 (routes.md, 8).
TITLE_LENGTH = 255
INT32_MAX = 2**31 - 1
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
STATISTICS = "STATISTICS"


class Department(models.Model):
    """A Dodo IS department (a franchisee's business unit); ids are Dodo's own."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=NAME_LENGTH, unique=True)
    uuid = models.UUIDField(unique=True)

    class Meta:
        ordering = ("id",)
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="routes_department_name_not_blank")]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A named group of units, e.g. ``Москва 1``; the bot lets users pick units by region."""

    name = models.CharField(max_length=NAME_LENGTH, unique=True)

    class Meta:
        ordering = ("id",)
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="routes_region_name_not_blank")]

    def __str__(self) -> str:
        return self.name


class Pizzeria(models.Model):
    """A Dodo pizzeria (the API's "unit"), keyed by its Dodo IS id (set by the operator, never generated).

    Not a produced unit of ``passports``: the API keeps its word "unit" (``/units/``,
    ``unit_ids``), the code says which one it means.
    """

    id = models.IntegerField("Dodo IS unit id", primary_key=True)
    name = models.CharField(max_length=NAME_LENGTH, unique=True)
    uuid = models.UUIDField("Dodo IS unit UUID", unique=True)
    office_manager_account_name = models.CharField(max_length=255, null=True, blank=True)
    dodo_is_api_account_name = models.CharField(max_length=255, null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="units")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="units")

    class Meta:
        db_table = "routes_unit"  # the table of the original's "unit": renaming the class moves no data
        verbose_name = "pizzeria (Dodo IS unit)"
        verbose_name_plural = "pizzerias (Dodo IS units)"
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(condition=Q(id__gt=0), name="routes_unit_id_positive"),
            models.CheckConstraint(condition=~Q(name=""), name="routes_unit_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class ReportType(models.Model):
    """A kind of report or notification; children of ``STATISTICS`` are the statistics types."""

    name = models.CharField(max_length=NAME_LENGTH, unique=True)
    verbose_name = models.CharField(max_length=NAME_LENGTH)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    priority = models.PositiveSmallIntegerField(default=0, help_text="Higher first in lists.")
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ("-priority", "id")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="routes_reporttype_name_not_blank"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="routes_reporttype_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class ChatRole(models.Model):
    """A bundle of units and report types that a chat gets by entering its secret access code."""

    name = models.CharField(max_length=NAME_LENGTH)
    access_code = models.CharField(max_length=NAME_LENGTH, unique=True)
    units = models.ManyToManyField(Pizzeria, blank=True, related_name="roles")
    report_types = models.ManyToManyField(ReportType, blank=True, related_name="roles")

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(condition=~Q(access_code=""), name="routes_chatrole_access_code_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name


class TelegramChat(models.Model):
    """A Telegram user or group known to the bot; ``chat_id`` is Telegram's (negative for groups)."""

    class ChatType(models.IntegerChoices):
        PRIVATE = 1, "Private"
        GROUP = 2, "Group"

    chat_id = models.BigIntegerField(unique=True)
    username = models.CharField(max_length=NAME_LENGTH, null=True, blank=True)
    title = models.CharField(max_length=TITLE_LENGTH)
    type = models.PositiveSmallIntegerField(choices=ChatType.choices)
    role = models.ForeignKey(ChatRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="chats")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(condition=Q(type__in=[1, 2]), name="routes_telegramchat_type_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="routes_telegramchat_title_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.chat_id})"


class ReportRoute(models.Model):
    """Send reports of ``report_type`` about ``unit`` to ``telegram_chat``."""

    report_type = models.ForeignKey(ReportType, on_delete=models.CASCADE, related_name="routes")
    unit = models.ForeignKey(Pizzeria, on_delete=models.CASCADE, related_name="routes")
    telegram_chat = models.ForeignKey(TelegramChat, on_delete=models.CASCADE, related_name="routes")

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(
                fields=("report_type", "unit", "telegram_chat"), name="routes_reportroute_unique_route"
            )
        ]
        indexes = [
            models.Index(fields=("telegram_chat", "report_type"), name="routes_route_chat_type_idx"),
            models.Index(fields=("unit", "report_type"), name="routes_route_unit_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report_type_id} / {self.unit_id} → {self.telegram_chat_id}"


class DodoAccountRole(models.Model):
    """A Dodo IS account role (e.g. Office Manager) — not a VRt user role of ``accounts``."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=NAME_LENGTH, unique=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name
