"""The project's identity: companies and the custom user (DECISIONS §2, accounts.md)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Collate

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
    """The company of a user saved without one (created, with its quotas, on first use)."""
    company, created = Company.objects.get_or_create(
        key=settings.DEFAULT_COMPANY_KEY, defaults={"name": settings.DEFAULT_COMPANY_KEY}
    )
    if created:
        Quota.objects.defaults_ensure(company=company)
    return company


class AccountUserManager(UserManager):
    """``create_user``/``createsuperuser`` store no empty email (a user without a company joins
    the default one when saved: ``User.save``)."""

    def _create_user_object(self, username, email, password, **extra_fields):
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

    def check_password(self, raw_password: str) -> bool:
        """Django's check, but a hash upgrade (new preferred hasher) is not a password change.

        Django's upgrade calls ``set_password`` and saves the hash: here that would bump the
        version in memory only (the login's token would be dead on arrival) and could write
        the old password's hash over a password changed meanwhile. So the upgrade keeps the
        version and only replaces the hash it checked (tests/accounts/test_concurrency.py).
        """

        def upgrade(raw: str) -> None:
            checked = self.password
            AbstractUser.set_password(self, raw)  # no version bump: the password is the same
            self._password = None
            if not type(self)._base_manager.filter(pk=self.pk, password=checked).update(password=self.password):
                self.password = checked  # changed meanwhile: keep describing what we checked

        return check_password(raw_password, self.password, upgrade)

    def clean(self) -> None:
        super().clean()
        if not self.email:
            self.email = None  # VRt clients reject "" (accounts.md, 4)
        if len(set(self.roles)) != len(self.roles):
            from django.core.exceptions import ValidationError

            raise ValidationError({"roles": "Roles must be unique."})

    def save(self, *args, **kwargs):
        if self.company_id is None:  # the one place a user gets the default company
            self.company = default_company()
        super().save(*args, **kwargs)


# --- VRt usage records (accounts.md, Decisions 5, 9, 10) ---------------------------------


class Service(models.TextChoices):
    """VRt services (the seed's 7.9.2527 set; emit only the values every client knows)."""

    UNIVERSAL = "UNIVERSAL"
    ROUTING = "ROUTING"
    ACCOUNT = "ACCOUNT"
    ADMIN = "ADMIN"
    STUDIO = "STUDIO"
    MONITOR = "MONITOR"
    PACKER = "PACKER"
    AGRO = "AGRO"


class ProcessType(models.TextChoices):
    """VRt process types (7.9.2527; ``ACTUALIZE`` is unknown to clients from 7.10 on)."""

    NOTRACE = "NOTRACE"
    TRACE = "TRACE"
    PLAN = "PLAN"
    ACTUALIZE = "ACTUALIZE"
    CONVERT = "CONVERT"
    VALIDATE = "VALIDATE"
    ROUTE = "ROUTE"
    MATRIX = "MATRIX"


class CalculationStatus(models.TextChoices):
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    FINISHED_IN_TIME = "FINISHED_IN_TIME"
    FINISHED_OUT_OF_TIME = "FINISHED_OUT_OF_TIME"
    CANCELED = "CANCELED"
    CANCELED_BY_TIMEOUT = "CANCELED_BY_TIMEOUT"
    CANCELED_BY_QUOTA = "CANCELED_BY_QUOTA"
    FAILED = "FAILED"


# The statuses that are billed, hence counted by statistics (Decision 6).
BILLED_STATUSES = (CalculationStatus.FINISHED_IN_TIME, CalculationStatus.FINISHED_OUT_OF_TIME)


class FlowType(models.TextChoices):
    INPUT = "INPUT"
    OUTPUT = "OUTPUT"


class FlowStage(models.TextChoices):
    RAW = "RAW"


# Bounds of the stored counters (the clients' own): points, elements, unique points and a
# quota's points per day; a result version; a quota's points per request and concurrency.
COUNT_MAX = 100_000_000
VERSION_MAX = 1_000_000
POINTS_PER_REQUEST_MAX = 1_000_000
CONCURRENCY_MAX = 1000


class Process(models.Model):
    """One calculation a user ran on a VRt service: the row behind audit and statistics."""

    # The CalculationInfo durations, in the order the API lists them.
    DURATION_FIELDS = (
        "preparing_time",
        "business_validation_time",
        "math_validation_time",
        "waiting_time",
        "calculation_time",
        "postprocessing_time",
    )

    process_code = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="processes")
    # Denormalised from the user at creation so company-wide audit needs no join (and a
    # user moved to another company keeps their history where it was billed).
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="processes")
    service = models.CharField(max_length=16, choices=Service.choices)
    process_type = models.CharField(max_length=16, choices=ProcessType.choices)
    created_at = models.DateTimeField(help_text="Process creation time (the audit's `time`).")
    status = models.CharField(max_length=24, choices=CalculationStatus.choices)
    message = models.TextField(null=True, blank=True, max_length=10000)
    request_points_count = models.PositiveIntegerField(null=True, blank=True)
    result_elements_count = models.PositiveIntegerField(null=True, blank=True)
    unique_points_count = models.PositiveIntegerField(
        default=0, help_text="Unique points of the request, stored: they cannot be recomputed without the payload."
    )
    result_version = models.PositiveIntegerField(default=0)
    preparing_time = models.DurationField(default=timedelta)
    business_validation_time = models.DurationField(default=timedelta)
    math_validation_time = models.DurationField(default=timedelta)
    waiting_time = models.DurationField(default=timedelta)
    calculation_time = models.DurationField(default=timedelta)
    postprocessing_time = models.DurationField(default=timedelta)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "processes"
        constraints = [
            models.CheckConstraint(
                condition=Q(request_points_count__lte=COUNT_MAX), name="accounts_process_points_max"
            ),
            models.CheckConstraint(
                condition=Q(result_elements_count__lte=COUNT_MAX), name="accounts_process_elements_max"
            ),
            models.CheckConstraint(condition=Q(unique_points_count__lte=COUNT_MAX), name="accounts_process_unique_max"),
            models.CheckConstraint(condition=Q(result_version__lte=VERSION_MAX), name="accounts_process_version_max"),
            models.CheckConstraint(condition=Q(service__in=Service.values), name="accounts_process_service_valid"),
            models.CheckConstraint(
                condition=Q(process_type__in=ProcessType.values), name="accounts_process_process_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CalculationStatus.values), name="accounts_process_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "created_at"], name="accounts_process_user_time_idx"),
            models.Index(fields=["company", "created_at"], name="accounts_process_company_idx"),
            # Statistics read only billed rows of one user in a period: a partial covering
            # index lets PostgreSQL answer a year of them with an index-only scan.
            models.Index(
                fields=["user", "created_at"],
                include=[
                    "service",
                    "process_type",
                    "request_points_count",
                    "result_elements_count",
                    "unique_points_count",
                ],
                condition=Q(status__in=BILLED_STATUSES),
                name="accounts_process_stats_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}/{self.process_type} {self.process_code}"


class ProcessUsage(models.Model):
    """Billed usage of one user per billing day, service and process type: the statistics' rows.

    A rollup of ``Process`` kept exact by PostgreSQL triggers (migration 0003): every insert,
    update or delete of a process, from the import command, the admin, the shell or raw SQL,
    adds or subtracts its billed counters in the same transaction, and changing a user's
    ``timezone`` rebuilds that user's rows (the billing day starts at the user's offset). Only
    billed statuses (``BILLED_STATUSES``) are counted; a key whose processes drop to 0 is deleted.
    Nothing in Python writes it (``on_delete=DO_NOTHING``: the triggers own it).
    """

    user = models.ForeignKey(User, on_delete=models.DO_NOTHING, related_name="+")
    day = models.DateField(help_text="Billing day in the user's fixed UTC offset.")
    service = models.CharField(max_length=16, choices=Service.choices)
    process_type = models.CharField(max_length=16, choices=ProcessType.choices)
    points = models.BigIntegerField(default=0)
    unique_points = models.BigIntegerField(default=0)
    elements = models.BigIntegerField(default=0)
    processes = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["user", "day", "service", "process_type"]
        verbose_name = "billed usage per day"
        verbose_name_plural = "billed usage per day"
        constraints = [
            # Its index is also the statistics' order (day, then service and process type in
            # byte order): a user's period is read in order, with no sort (20,440 rows a year).
            models.UniqueConstraint(
                "user",
                "day",
                Collate("service", "C"),
                Collate("process_type", "C"),
                name="accounts_processusage_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.service}/{self.process_type}: {self.processes}"


class ProcessRequest(models.Model):
    """One request made within a process: the audit action's ``requests[]`` tracedata."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="requests")
    request_code = models.UUIDField(unique=True)
    username = models.CharField(max_length=256, validators=[MinLengthValidator(2), WORD_VALIDATOR])
    company = models.CharField(max_length=256, validators=[MinLengthValidator(3), WORD_VALIDATOR])
    service = models.CharField(max_length=16, choices=Service.choices)
    operation = models.CharField(max_length=256, validators=[MinLengthValidator(3), WORD_VALIDATOR])
    env = models.CharField(max_length=256, validators=[MinLengthValidator(2)])
    pod = models.CharField(max_length=256, validators=[MinLengthValidator(2)])
    time = models.DateTimeField()

    class Meta:
        ordering = ["time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(operation__regex=r"^\w{3,}"), name="accounts_processrequest_operation"),
            models.CheckConstraint(
                condition=Q(service__in=Service.values), name="accounts_processrequest_service_valid"
            ),
        ]
        indexes = [models.Index(fields=["process", "operation"], name="accounts_request_op_idx")]

    def __str__(self) -> str:
        return f"{self.operation} {self.request_code}"


class ProcessData(models.Model):
    """The bytes a process received (INPUT) or sent back (OUTPUT), as the client exchanged them."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="data")
    flow_type = models.CharField(max_length=8, choices=FlowType.choices)
    flow_stage = models.CharField(max_length=8, choices=FlowStage.choices, default=FlowStage.RAW)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["process_id", "flow_type", "flow_stage"]
        verbose_name_plural = "process data"
        constraints = [
            models.UniqueConstraint(fields=["process", "flow_type", "flow_stage"], name="accounts_processdata_unique"),
            models.CheckConstraint(condition=Q(flow_type__in=FlowType.values), name="accounts_processdata_flow_type"),
            models.CheckConstraint(
                condition=Q(flow_stage__in=FlowStage.values), name="accounts_processdata_flow_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flow_type}/{self.flow_stage} of {self.process_id}"


# Every company can read at least one service with one process type (Decision 10):
# (service, process type, points per request, points per day, concurrent executions).
DEFAULT_QUOTAS = (
    (Service.UNIVERSAL, ProcessType.PLAN, 5_000, 100_000, 4),
    (Service.UNIVERSAL, ProcessType.VALIDATE, 5_000, 100_000, 4),
    (Service.UNIVERSAL, ProcessType.TRACE, 5_000, 50_000, 2),
    (Service.ROUTING, ProcessType.PLAN, 2_000, 200_000, 4),
    (Service.ROUTING, ProcessType.VALIDATE, 2_000, 200_000, 4),
    (Service.ROUTING, ProcessType.CONVERT, 10_000, 500_000, 2),
)


def default_quotas(*, company_id: int) -> list[Quota]:
    """The default quotas of a company, unsaved."""
    return [
        Quota(
            company_id=company_id,
            service=service,
            process_type=process_type,
            points_per_request=per_request,
            points_per_day=per_day,
            max_concurrent_execution=concurrency,
        )
        for service, process_type, per_request, per_day, concurrency in DEFAULT_QUOTAS
    ]


class QuotaManager(models.Manager):
    def defaults_ensure(self, *, company: Company) -> int:
        """Store the default quotas a company lacks (idempotent); returns how many were added."""
        existing = set(self.filter(company=company).values_list("service", "process_type"))
        missing = [
            quota
            for quota in default_quotas(company_id=company.pk)
            if (quota.service, quota.process_type) not in existing
        ]
        self.bulk_create(missing, ignore_conflicts=True)
        return len(missing)


class Quota(models.Model):
    """A company's limits for one service and process type (informational: nothing here runs processes)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="quotas")
    service = models.CharField(max_length=16, choices=Service.choices)
    process_type = models.CharField(max_length=16, choices=ProcessType.choices)
    points_per_request = models.PositiveIntegerField(validators=[MaxValueValidator(POINTS_PER_REQUEST_MAX)])
    points_per_day = models.PositiveIntegerField(validators=[MaxValueValidator(COUNT_MAX)])
    max_concurrent_execution = models.PositiveSmallIntegerField(validators=[MaxValueValidator(CONCURRENCY_MAX)])

    objects = QuotaManager()

    class Meta:
        ordering = ["company_id", "service", "process_type"]
        constraints = [
            models.UniqueConstraint(fields=["company", "service", "process_type"], name="accounts_quota_unique"),
            models.CheckConstraint(
                condition=Q(points_per_request__lte=POINTS_PER_REQUEST_MAX),
                name="accounts_quota_points_per_request_max",
            ),
            models.CheckConstraint(
                condition=Q(points_per_day__lte=COUNT_MAX), name="accounts_quota_points_per_day_max"
            ),
            models.CheckConstraint(
                condition=Q(max_concurrent_execution__lte=CONCURRENCY_MAX), name="accounts_quota_concurrency_max"
            ),
            models.CheckConstraint(condition=Q(service__in=Service.values), name="accounts_quota_service_valid"),
            models.CheckConstraint(
                condition=Q(process_type__in=ProcessType.values), name="accounts_quota_process_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.service}/{self.process_type}"
