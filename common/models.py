"""Cross-app tables."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models


class ThrottleBucket(models.Model):
    """The recent attempts of one throttle key (``common.throttling``): a scope and who is counted.

    Written only by one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` per attempt, so
    concurrent attempts cannot both take the last place. Deleting a row lifts that lockout.
    """

    key = models.CharField(max_length=64, primary_key=True, help_text="sha256 of scope and ident")
    scope = models.CharField(max_length=50, db_index=True)
    ident = models.CharField(max_length=200, help_text="what is counted: a client address, a username, a chat")
    hits = ArrayField(models.FloatField(), default=list, help_text="epoch seconds of the counted attempts")
    allowed = models.BooleanField(default=True, help_text="whether the latest attempt was let through")
    expires_at = models.DateTimeField(db_index=True, help_text="when the newest counted attempt ages out")

    class Meta:
        ordering = ["-expires_at"]

    def __str__(self) -> str:
        return f"{self.scope} {self.ident}"


class RevokedTokenFamily(models.Model):
    """A refresh-token family whose tokens are all refused (reuse detection).

    Every token issued by ``/api/o/token/`` carries its family (``fam``): a password grant
    starts one, a refresh passes it on. When an already spent refresh token is presented
    again, someone holds a copy: the family is revoked, so the tokens issued from the reused
    one (access and refresh, the thief's or the owner's) stop working at once.
    """

    family = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="revoked_token_families")
    revoked_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True, help_text="when every token of the family has expired anyway")

    class Meta:
        ordering = ["-revoked_at"]

    def __str__(self) -> str:
        return self.family
