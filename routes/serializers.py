"""Input validation and (for the schema) output shapes of the routes API."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from common.api_styles.unit_routes import PageQuerySerializer
from common.fields import StrictCharField, StrictIntegerField
from routes.models import INT32_MAX, INT64_MAX, INT64_MIN, NAME_LENGTH, TITLE_LENGTH, TelegramChat


class ChatIdField(StrictIntegerField):
    """A Telegram chat id: any int64 (group chats are negative)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=INT64_MIN, max_value=INT64_MAX, **kwargs)


class RecordIdField(StrictIntegerField):
    """A database id (report type, region): 1..int64."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(max_value=INT64_MAX, **kwargs)


class UnitIdField(StrictIntegerField):
    """A Dodo IS unit id, stored as a 32-bit integer."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", -INT32_MAX - 1)
        super().__init__(max_value=INT32_MAX, **kwargs)


# --- inputs --------------------------------------------------------------------------------


class RoleUnitsQuerySerializer(PageQuerySerializer):
    region_id = RecordIdField(required=False, allow_null=True)


class ReportRouteUnitsQuerySerializer(PageQuerySerializer):
    report_type_id = RecordIdField()
    chat_id = ChatIdField()


class ReportRouteChatsQuerySerializer(PageQuerySerializer):
    report_type_id = RecordIdField()
    unit_id = UnitIdField(min_value=1)


class TelegramChatCreateInputSerializer(serializers.Serializer):
    chat_id = ChatIdField()
    type = serializers.ChoiceField(choices=TelegramChat.ChatType.names)
    title = StrictCharField(min_length=1, max_length=TITLE_LENGTH)
    username = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=NAME_LENGTH)


class TelegramChatUpdateInputSerializer(serializers.Serializer):
    title = StrictCharField(min_length=1, max_length=TITLE_LENGTH)
    username = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=NAME_LENGTH)


class AccessCodeInputSerializer(serializers.Serializer):
    access_code = StrictCharField(min_length=1, max_length=NAME_LENGTH)


class ReportRouteCreateInputSerializer(serializers.Serializer):
    report_type_id = StrictIntegerField(min_value=INT64_MIN, max_value=INT64_MAX)
    chat_id = ChatIdField()
    user_chat_id = ChatIdField(required=False, allow_null=True, help_text="Defaults to chat_id.")
    unit_ids = serializers.ListField(child=UnitIdField(), allow_empty=False, max_length=10_000)


# Django refuses a query string of more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters (a 400
# before any view runs): the list leaves room for the other parameters of the DELETE.
QUERY_UNIT_IDS_MAX = min(10_000, (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or 10_010) - 10)


class ReportRouteDeleteQuerySerializer(serializers.Serializer):
    chat_id = ChatIdField()
    report_type_id = StrictIntegerField(min_value=INT64_MIN, max_value=INT64_MAX)
    unit_ids = serializers.ListField(child=UnitIdField(), required=False, default=list, max_length=QUERY_UNIT_IDS_MAX)


# --- outputs (the views answer plain dicts of exactly these shapes) --------------------------


class UnitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uuid = serializers.UUIDField()
    office_manager_account_name = serializers.CharField(allow_null=True)
    dodo_is_api_account_name = serializers.CharField(allow_null=True)
    region = serializers.CharField(help_text="The region's name.")


class RoleUnitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uuid = serializers.UUIDField()
    region_id = serializers.IntegerField()
    office_manager_account_name = serializers.CharField(allow_null=True)
    dodo_is_api_account_name = serializers.CharField(allow_null=True)


class RegionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DepartmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uuid = serializers.UUIDField()


class ReportTypeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    verbose_name = serializers.CharField()


class TelegramChatListItemOutputSerializer(serializers.Serializer):
    title = StrictCharField()
    chat_id = serializers.IntegerField()


class TelegramChatOutputSerializer(serializers.Serializer):
    chat_id = serializers.IntegerField()
    username = StrictCharField(allow_null=True)
    title = StrictCharField()
    type = serializers.ChoiceField(choices=["Private", "Group"])
