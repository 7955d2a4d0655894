"""Every model is in the admin; its changelist, search, add and change pages answer 200."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("accounts", "routes", "passports", "calculations", "terminals")


def _project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not m._meta.auto_created]


def test_every_project_model_is_registered():
    missing = [m._meta.label for m in _project_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", _project_models(), ids=lambda m: m._meta.label)
def test_admin_pages_answer_200(admin_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "x"}).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.has_add_permission(_request(admin_client)):
        assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert admin_client.get(change).status_code == 200


def _request(client):
    from django.test import RequestFactory

    from accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    return request


def test_admin_login_page_answers_200(client):
    assert client.get("/admin/login/").status_code == 200


def test_non_staff_user_cannot_enter_the_admin(client, demo_user, password):
    assert client.login(username="demo", password=password)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
