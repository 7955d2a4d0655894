"""``/telegram-chats/…`` (routes.md, Decisions 7 and 8; notes 2.5)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from routes import selectors, services
from routes.models import TelegramChat
from routes.serializers import (
    TelegramChatCreateInputSerializer,
    TelegramChatOutputSerializer,
    TelegramChatPageOutputSerializer,
    TelegramChatUpdateInputSerializer,
)
from routes.views.base import (
    CHAT_ID_PATH,
    LIMIT_OFFSET_PARAMETERS,
    RoutesAPIView,
    RoutesListAPIView,
    chat_id_in_range,
    errors,
)


class TelegramChatListCreateView(RoutesListAPIView):
    """``GET|POST /telegram-chats/``: list chats, register one (the bot's /start)."""

    results_key = "telegram_chats"

    @extend_schema(
        operation_id="routes_telegram_chats_list",
        summary="All chats (title and chat id), ordered by registration",
        parameters=LIMIT_OFFSET_PARAMETERS,
        responses={200: TelegramChatPageOutputSerializer, **errors(400)},
    )
    def get(self, request):
        return self.paginated(selectors.telegram_chat_list(), self.validated_query())

    @extend_schema(
        operation_id="routes_telegram_chats_create",
        summary="Register a chat",
        request=TelegramChatCreateInputSerializer,
        responses={201: OpenApiResponse(description="Created (empty body)."), **errors(400, 409)},
    )
    def post(self, request):
        services.telegram_chat_create(**self.validated_body(TelegramChatCreateInputSerializer))
        return Response(status=status.HTTP_201_CREATED)


class TelegramChatTypeListView(RoutesAPIView):
    """``GET /telegram-chats/chat-types/``: the accepted ``type`` values."""

    @extend_schema(
        operation_id="routes_telegram_chat_types_list",
        summary="The chat types a chat can be registered with",
        responses={
            200: {"type": "array", "items": {"type": "string", "enum": TelegramChat.ChatType.names}},
            **errors(),
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
        responses={200: TelegramChatOutputSerializer, **errors(400, 404)},
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
        responses={204: OpenApiResponse(description="Updated (empty body)."), **errors(400, 404)},
    )
    def put(self, request, chat_id: int):
        data = self.validated_body(TelegramChatUpdateInputSerializer)
        services.telegram_chat_update(chat_id=chat_id_in_range(chat_id), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)
