"""``permissions_load``: ModelBackend's permission set of a user, read in one query instead of two."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from calculations.permissions import READ_PERMISSION, WRITE_PERMISSION, permissions_load

pytestmark = pytest.mark.django_db


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_the_one_query_set_is_model_backends_set(demo_user, django_assert_num_queries):
    own = Permission.objects.get(content_type__app_label="calculations", codename="delete_calculation")
    demo_user.user_permissions.add(own)
    extra = Group.objects.create(name="formula-extra")
    extra.permissions.add(Permission.objects.get(content_type__app_label="calculations", codename="add_calculation"))
    demo_user.groups.add(extra)
    expected = ModelBackend().get_all_permissions(_fresh(demo_user))
    user = _fresh(demo_user)
    with django_assert_num_queries(1):
        permissions_load(user)
        assert user.has_perm(WRITE_PERMISSION) and user.has_perm("calculations.delete_calculation")
        assert user.get_all_permissions() == expected
    assert {"calculations.delete_calculation", "calculations.add_calculation"} <= expected


def test_nothing_is_read_for_a_superuser_an_inactive_user_or_a_loaded_cache(
    admin_user, viewer_user, django_assert_num_queries
):
    inactive = _fresh(viewer_user)
    inactive.is_active = False
    loaded = _fresh(viewer_user)
    loaded.get_all_permissions()
    with django_assert_num_queries(0):
        for user in (admin_user, inactive, loaded):
            permissions_load(user)
        assert admin_user.has_perm(WRITE_PERMISSION)
        assert not inactive.has_perm(READ_PERMISSION)
        assert loaded.has_perm(READ_PERMISSION) and not loaded.has_perm(WRITE_PERMISSION)


def test_another_backend_keeps_djangos_own_reads(settings, demo_user, django_assert_num_queries):
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "tests.nowhere.Backend"]
    user = _fresh(demo_user)
    with django_assert_num_queries(0):
        permissions_load(user)
    assert not hasattr(user, "_perm_cache")
