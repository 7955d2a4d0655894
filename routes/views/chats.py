"""``/telegram-chats/…`` (routes.md, Decisions 7 and 8; notes 2.5)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from common.api_styles.unit_routes import STYLE
from routes import selectors, services
from routes.models import TelegramChat
from routes.serializers import (
    TelegramChatCreateInputSerializer,
    TelegramChatListItemOutputSerializer,
    TelegramChatOutputSerializer,
    TelegramChatUpdateInputSerializer,
)
from routes.views.base import CHAT_ID_PATH, RoutesAPIView, RoutesListAPIView, chat_id_in_range


class TelegramChatListCreateView(RoutesListAPIView):
    """``GET|POST /telegram-chats/``: list chats, register one (the bot's /start)."""

    results_key = "telegram_chats"

    @extend_schema(
        operation_id="routes_telegram_chats_list",
        summary="All chats (title and chat id), ordered by registration",
        responses={200: TelegramChatListItemOutputSerializer(many=True), **STYLE.responses(400)},
    )
    def get(self, request):
        return self.page(selectors.page_of(selectors.telegram_chat_list))

    @extend_schema(
        operation_id="routes_telegram_chats_create",
        summary="Register a chat",
        request=TelegramChatCreateInputSerializer,
        responses={201: OpenApiResponse(description="Created (empty body)."), **STYLE.responses(400, 409)},
    )
    def post(self, request):
        services.telegram_chat_create(**self.body(TelegramChatCreateInputSerializer))
        return Response(status=status.HTTP_201_CREATED)


class TelegramChatTypeListView(RoutesAPIView):
    """``GET /telegram-chats/chat-types/``: the accepted ``type`` values."""

    pagination_class = None  # the whole list, as a bare array

    @extend_schema(
        operation_id="routes_telegram_chat_types_list",
        summary="The chat types a chat can be registered with",
        responses={
            200: {"type": "array", "items": {"type": "string", "enum": TelegramChat.ChatType.names}},
            **STYLE.responses(),
        },
    )
    def get(self, request):
        return Response(TelegramChat.ChatType.names)


class TelegramChatDetailView(RoutesAPIView):
    """``GET|PUT /telegram-chats/{chat_id}/``: read or rename one chat."""

    @extend_schema(
        operation_id="routes_telegram_chats_retrieve",
        summary="A chat by its Telegram chat id",
        parameters=[CHAT_ID_PATH],
        responses={200: TelegramChatOutputSerializer, **STYLE.responses(400, 404)},
    )
    def get(self, request, chat_id: int):
        chat = selectors.telegram_chat_get(chat_id=chat_id_in_range(chat_id))
        return Response(
            {"chat_id": chat.chat_id, "username": chat.username, "title": chat.title, "type": chat.get_type_display()}
        )

    @extend_schema(
        operation_id="routes_telegram_chats_update",
        summary="Rename a chat (username unchanged when absent)",
        parameters=[CHAT_ID_PATH],
        request=TelegramChatUpdateInputSerializer,
        responses={204: OpenApiResponse(description="Updated (empty body)."), **STYLE.responses(400, 404)},
    )
    def put(self, request, chat_id: int):
        data = self.body(TelegramChatUpdateInputSerializer)
        services.telegram_chat_update(chat_id=chat_id_in_range(chat_id), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
