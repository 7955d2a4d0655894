"""Employees, Feecc users and the login form on the wire (passports.md §2, §3.4, §3.5)."""

from __future__ import annotations

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from common.exceptions import NotFoundError
from passports.models import Employee

USERNAME = re.compile(r"^\w{4,256}$")
RULES = ("read", "write", "approve")


class EmployeeOutputSerializer(serializers.Serializer):
    rfid_card_id = serializers.CharField()
    name = serializers.CharField()
    position = serializers.CharField()
    passport_code = serializers.CharField()


class EmployeeInputSerializer(serializers.Serializer):
    rfid_card_id = serializers.CharField(max_length=128)
    name = serializers.CharField(max_length=256)
    position = serializers.CharField(max_length=256)


class EmployeeDecodeInputSerializer(serializers.Serializer):
    encoded_name = serializers.CharField(max_length=256, allow_blank=True)


class FeeccUserOutputSerializer(serializers.Serializer):
    # Of a ``selectors.FeeccUserProfile``: its employee by card id.
    username = serializers.CharField()
    rule_set = serializers.ListField(child=serializers.CharField())
    associated_employee = serializers.CharField(allow_null=True, source="employee.rfid_card_id")


class FeeccUserProfileOutputSerializer(serializers.Serializer):
    """The keys of a user's answer: the user and, in full, its employee (``FeeccUserProfile``)."""

    # Never a component: views spread its fields into their envelope (``USER_ENVELOPE``).

    user = FeeccUserOutputSerializer(source="*")
    associated_employee = EmployeeOutputSerializer(source="employee", allow_null=True)


class FeeccUsernameField(serializers.CharField):
    """A username, ``\\w{4,256}``; the schema says ``^\\w+$`` with lengths, which any client's
    regex engine compiles (a Unicode ``\\w{4,256}`` exceeds pydantic-core's regex size limit)."""

    openapi_constraints = {"pattern": r"^\w+$", "minLength": 4}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not USERNAME.match(value):
            raise serializers.ValidationError("4 to 256 letters, digits or underscores.")
        return value


class FeeccPasswordField(serializers.CharField):
    """A password; the schema states the rules of ``AUTH_PASSWORD_VALIDATORS`` it can express."""

    @property
    def openapi_constraints(self) -> dict:
        """Read by ``common.drf.TaggedAutoSchema``: the validators' length and "not only digits"."""
        lengths = [
            validator.min_length
            for validator in password_validation.get_default_password_validators()
            if isinstance(validator, password_validation.MinimumLengthValidator)
        ]
        constraints = {"minLength": max(lengths, default=1)}
        if any(
            isinstance(validator, password_validation.NumericPasswordValidator)
            for validator in password_validation.get_default_password_validators()
        ):
            constraints["pattern"] = r"^[^\x00]*[^0-9\x00][^\x00]*$"
        return constraints


class FeeccUserInputSerializer(serializers.Serializer):
    """``NewUser``: usernames ``\\w{4,256}``, passwords by the project's validators."""

    username = FeeccUsernameField(max_length=256)
    password = FeeccPasswordField(max_length=128, trim_whitespace=False)
    rule_set = serializers.ListField(
        child=serializers.ChoiceField(choices=RULES), required=False, default=["read"], max_length=3
    )
    associated_employee = serializers.CharField(max_length=128, allow_null=True, required=False)

    def validate_password(self, value: str) -> str:
        try:
            password_validation.validate_password(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return value

    def validate(self, attrs):
        # An unknown reference is a 404 once the body is well formed (passports.md Decision 25).
        employee = attrs.get("associated_employee")
        if employee is not None and not Employee.objects.filter(rfid_card_id=employee).exists():
            raise NotFoundError(f"No employee with card id {employee}")
        return attrs


class FeeccUserPatchSerializer(FeeccUserInputSerializer):
    rule_set = serializers.ListField(child=serializers.ChoiceField(choices=RULES), required=False, max_length=3)


class TokenInputSerializer(serializers.Serializer):
    """``OAuth2PasswordRequestForm``."""

    username = serializers.CharField(max_length=256, trim_whitespace=False)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)
    grant_type = serializers.RegexField(r"^password$", required=False, allow_blank=True)
    scope = serializers.CharField(required=False, allow_blank=True, default="")
    client_id = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    client_secret = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class TokenQuerySerializer(serializers.Serializer):
    keep_session = serializers.BooleanField(required=False, default=True)


class TokenOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
