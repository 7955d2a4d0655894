"""accounts.backends.ModelBackend: Django's permission rules, read in one query."""

import pytest
from django.contrib.auth import backends
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import ModelBackend
from accounts.models import User

pytestmark = pytest.mark.django_db


def perm(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permission cache


@pytest.fixture
def clerk(company):
    user = User.objects.create_user(username="clerk", password="pw-clerk-2026", company=company)
    group = Group.objects.create(name="clerks")
    group.permissions.add(perm("view_calculation"), perm("view_company"))
    user.groups.add(group)
    user.user_permissions.add(perm("change_calculation"), perm("view_company"))  # view_company twice
    return user


def test_own_and_group_permissions_in_one_query_as_django_reads_them(clerk):
    user = fresh(clerk)
    with CaptureQueriesContext(connection) as captured:
        assert user.has_perm("calculations.view_calculation")  # through the group
        assert user.has_perm("calculations.change_calculation")  # its own
        assert not user.has_perm("calculations.delete_calculation")
    assert len(captured.captured_queries) == 1
    assert user.get_all_permissions() == backends.ModelBackend().get_all_permissions(fresh(clerk))
    assert user.get_all_permissions() == {
        "calculations.view_calculation",
        "calculations.change_calculation",
        "accounts.view_company",
    }


def test_a_user_without_the_permission_is_refused(company):
    stranger = User.objects.create_user(username="stranger", password="pw-stranger-2026", company=company)
    assert not fresh(stranger).has_perm("calculations.view_calculation")
    assert fresh(stranger).get_all_permissions() == set()


def test_an_inactive_user_has_none_and_an_active_superuser_has_all(clerk):
    clerk.enabled = False
    clerk.save()
    assert fresh(clerk).get_all_permissions() == set()
    clerk.enabled, clerk.is_superuser = True, True
    clerk.save()
    assert len(fresh(clerk).get_all_permissions()) == Permission.objects.count()
    clerk.enabled = False
    clerk.save()
    assert not fresh(clerk).has_perm("calculations.view_calculation")


def test_object_permissions_are_none(clerk):
    assert ModelBackend().get_all_permissions(fresh(clerk), obj=clerk) == set()
    assert not fresh(clerk).has_perm("calculations.view_calculation", obj=clerk)
