"""``/routes/telegram-chats/…``."""

import pytest

from routes.models import TelegramChat
from tests.routes.factories import TelegramChatFactory

pytestmark = pytest.mark.django_db


def test_a_chat_is_registered_with_an_empty_201(bot):
    response = bot.post(
        "/routes/telegram-chats/",
        {"chat_id": -1001234, "type": "GROUP", "title": "  Отчёты  ", "username": None},
        format="json",
    )
    assert response.status_code == 201
    assert response.content == b""
    chat = TelegramChat.objects.get()
    assert (chat.chat_id, chat.type, chat.title, chat.username, chat.role) == (
        -1001234,
        TelegramChat.ChatType.GROUP,
        "Отчёты",
        None,
        None,
    )


def test_a_form_body_is_accepted_and_username_may_be_omitted(bot):
    response = bot.post("/routes/telegram-chats/", {"chat_id": 5, "type": "PRIVATE", "title": "Eldos"})
    assert response.status_code == 201
    assert TelegramChat.objects.values_list("chat_id", "username").get() == (5, None)


def test_a_title_up_to_255_characters_is_accepted(bot):
    title = "Я" * 255
    assert bot.post("/routes/telegram-chats/", {"chat_id": 6, "type": "PRIVATE", "title": title}).status_code == 201
    assert TelegramChat.objects.get().title == title


def test_a_known_chat_id_is_a_409_and_nothing_changes(bot):
    TelegramChatFactory(chat_id=7, title="Old")
    response = bot.post("/routes/telegram-chats/", {"chat_id": 7, "type": "PRIVATE", "title": "New"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"message": "Chat with provided chat ID already exists", "extra": {}}
    assert list(TelegramChat.objects.values_list("chat_id", "title")) == [(7, "Old")]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {},
            {
                "chat_id": ["This field is required."],
                "type": ["This field is required."],
                "title": ["This field is required."],
            },
        ),
        (
            {"chat_id": 2**63, "type": "private", "title": "  "},
            {
                "chat_id": ["Ensure this value is less than or equal to 9223372036854775807."],
                "type": ['"private" is not a valid choice.'],
                "title": ["This field may not be blank."],
            },
        ),
        (
            {"chat_id": "1", "type": "GROUP", "title": 5, "username": 0},
            {
                "chat_id": ["A valid integer is required."],
                "title": ["Not a valid string."],
                "username": ["Not a valid string."],
            },
        ),
        (
            {"chat_id": 1.5, "type": "GROUP", "title": "x", "username": ["a"]},
            {"chat_id": ["A valid integer is required."], "username": ["Not a valid string."]},
        ),
        (
            {"chat_id": 1, "type": "GROUP", "title": "x" * 256},
            {"title": ["Ensure this field has no more than 255 characters."]},
        ),
    ],
)
def test_an_invalid_chat_is_a_400_naming_each_field(bot, body, fields):
    response = bot.post("/routes/telegram-chats/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"message": "Validation error", "extra": {"fields": fields}}
    assert not TelegramChat.objects.exists()


def test_malformed_json_is_a_400_in_the_envelope(bot):
    response = bot.post("/routes/telegram-chats/", "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "message": "JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        "extra": {},
    }


def test_chats_are_listed_with_title_and_chat_id(bot, django_assert_max_num_queries):
    a = TelegramChatFactory(chat_id=1, title="User1")
    b = TelegramChatFactory(chat_id=-100, title="Group")
    with django_assert_max_num_queries(1):
        response = bot.get("/routes/telegram-chats/", {"limit": 1})
    assert response.json() == {"telegram_chats": [{"title": "User1", "chat_id": 1}], "is_end_of_list_reached": False}
    response = bot.get("/routes/telegram-chats/", {"limit": 1, "offset": 1})
    assert response.json() == {"telegram_chats": [{"title": "Group", "chat_id": -100}], "is_end_of_list_reached": True}
    assert a.id < b.id


@pytest.mark.parametrize("count", [3, 30])
def test_chats_list_runs_a_fixed_number_of_queries(bot, django_assert_max_num_queries, count):
    TelegramChatFactory.create_batch(count)
    with django_assert_max_num_queries(1):
        assert len(bot.get("/routes/telegram-chats/").json()["telegram_chats"]) == count


def test_chat_types(bot):
    assert bot.get("/routes/telegram-chats/chat-types/").json() == ["PRIVATE", "GROUP"]


def test_a_chat_is_read_by_its_chat_id_with_the_type_label(bot):
    TelegramChatFactory(chat_id=-42, title="Group", username="", type=TelegramChat.ChatType.GROUP)
    TelegramChatFactory(chat_id=12345, title="hello", username="eldos")
    assert bot.get("/routes/telegram-chats/-42/").json() == {
        "chat_id": -42,
        "username": "",
        "title": "Group",
        "type": "Group",
    }
    assert bot.get("/routes/telegram-chats/12345/").json() == {
        "chat_id": 12345,
        "username": "eldos",
        "title": "hello",
        "type": "Private",
    }


def test_an_unknown_chat_is_a_404(bot):
    response = bot.get("/routes/telegram-chats/999/")
    assert response.status_code == 404
    assert response.json() == {"message": "Chat by chat ID is not found", "extra": {}}


def test_a_chat_id_beyond_int64_in_the_path_is_a_400(bot):
    response = bot.get(f"/routes/telegram-chats/{2**63}/")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {
            "fields": {"chat_id": ["Ensure this value is between -9223372036854775808 and 9223372036854775807."]}
        },
    }


def test_put_renames_and_keeps_the_username_when_absent(bot):
    TelegramChatFactory(chat_id=9, title="Old", username="keep")
    response = bot.put("/routes/telegram-chats/9/", {"title": "New"}, format="json")
    assert response.status_code == 204
    assert response.content == b""
    assert TelegramChat.objects.values_list("title", "username").get() == ("New", "keep")
    assert bot.put("/routes/telegram-chats/9/", {"title": "Newer", "username": None}, format="json").status_code == 204
    assert TelegramChat.objects.values_list("title", "username").get() == ("Newer", None)


def test_put_on_an_unknown_chat_is_a_json_404(bot):
    response = bot.put("/routes/telegram-chats/9/", {"title": "New"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"message": "Chat by chat ID is not found", "extra": {}}


def test_put_without_a_title_is_a_400(bot):
    TelegramChatFactory(chat_id=9, title="Old")
    response = bot.put("/routes/telegram-chats/9/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "message": "Validation error",
        "extra": {"fields": {"title": ["This field is required."]}},
    }
    assert TelegramChat.objects.get().title == "Old"


def test_patch_on_a_chat_is_a_405_in_the_envelope(bot):
    response = bot.patch("/routes/telegram-chats/9/", {"title": "x"}, format="json")
    assert response.status_code == 405
    assert response.json() == {"message": 'Method "PATCH" not allowed.', "extra": {}}
