"""Shops and their cash terminals, per company (Datawiz API v1, terminals.md)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Shop(models.Model):
    """A shop of a retail client; ``shop_id`` is the client's own code, unique per company."""

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="shops", db_index=False)
    shop_id = models.CharField(max_length=50)
    name = models.CharField(max_length=100)
    address = models.TextField(blank=True, default="")
    open_date = models.DateField(null=True, blank=True)
    longitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    latitude = models.DecimalField(max_digits=11, decimal_places=8, null=True, blank=True)
    # Codes of the client's shop groups and formats; those catalogues are not served here.
    group_id = models.CharField(max_length=50, null=True, blank=True)
    format_id = models.CharField(max_length=50, null=True, blank=True)

    class Meta:
        ordering = ["company_id", "shop_id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "shop_id"], name="terminals_shop_unique_shop_id"),
            # Target of the terminal's (company, shop) foreign key (migration 0002).
            models.UniqueConstraint(fields=["company", "id"], name="terminals_shop_unique_company_pk"),
            models.CheckConstraint(condition=~Q(shop_id=""), name="terminals_shop_shop_id_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="terminals_shop_name_not_blank"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="terminals_shop_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="terminals_shop_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.name}"


class Terminal(models.Model):
    """A cash terminal of a shop.

    The surrogate primary key lets a PUT rename ``terminal_id`` in place: whatever references
    the terminal (receipts) keeps pointing at the same row.
    """

    # In the database both are guarded by one composite foreign key, (company_id, shop_id) →
    # shop (company_id, id) (migration 0002): the shop exists AND belongs to the terminal's
    # company, checked once per row instead of three times. No single-column indexes: the
    # unique constraints below lead with these columns.
    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="terminals", db_index=False, db_constraint=False
    )
    shop = models.ForeignKey(
        Shop, on_delete=models.PROTECT, related_name="terminals", db_index=False, db_constraint=False
    )
    terminal_id = models.CharField(max_length=50)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["company_id", "terminal_id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "terminal_id"], name="terminals_terminal_unique_terminal_id"),
            # Judged at commit, so one request may swap two names within a shop.
            models.UniqueConstraint(
                fields=["shop", "name"],
                name="terminals_terminal_unique_name_per_shop",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=~Q(terminal_id=""), name="terminals_terminal_terminal_id_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="terminals_terminal_name_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.terminal_id} {self.name}"


class RevokedRefreshToken(models.Model):
    """A refresh token already exchanged at ``/api/o/token/`` (rotation: each one works once)."""

    jti = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="revoked_refresh_tokens")
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-revoked_at"]

    def __str__(self) -> str:
        return self.jti
