"""common.compiled: a queryset compiled once answers what the ORM answers, with the ORM's SQL."""

import pytest
from django.db import connection
from django.db.models import Exists
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from common.compiled import CompiledQuery, Placeholder
from common.models import RevokedTokenFamily

pytestmark = pytest.mark.django_db

USER = Placeholder(0, -999_000_111)
FAMILY = Placeholder(1, "family-placeholder-for-the-test")


def users(user_id, family):
    return (
        User.objects.select_related("company")
        .annotate(revoked=Exists(RevokedTokenFamily.objects.filter(family=family)))
        .filter(pk=user_id)
    )


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_it_runs_the_sql_the_orm_runs_and_builds_the_same_instances(demo_user):
    demo_user.roles = ["USER", "ADMIN"]  # an array column
    demo_user.attributes = {"shift": "night", "n": 2}  # a JSON column: its converter runs
    demo_user.save()
    RevokedTokenFamily.objects.create(family="gone", user=demo_user, expires_at=timezone.now())
    query = CompiledQuery(users, [USER, FAMILY])
    for family in ("gone", "kept"):
        with CaptureQueriesContext(connection) as orm:
            expected = list(users(demo_user.pk, family))
        with CaptureQueriesContext(connection) as compiled:
            got = query.fetch(demo_user.pk, family)
        assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
        assert len(got) == 1
        assert fields_of(got[0]) == fields_of(expected[0])
        assert got[0].revoked is (family == "gone")
        assert got[0]._state.db == "default" and not got[0]._state.adding
        with CaptureQueriesContext(connection) as more:
            assert fields_of(got[0].company) == fields_of(expected[0].company)  # select_related: no query
        assert more.captured_queries == []
    assert got[0].roles == ["USER", "ADMIN"] and got[0].attributes == {"shift": "night", "n": 2}


def test_no_row_is_an_empty_list(demo_user):
    assert CompiledQuery(users, [USER, FAMILY]).fetch(demo_user.pk + 1000, "x") == []


def test_querysets_it_cannot_compile_faithfully_are_refused(demo_user):
    for build in (
        lambda user_id: User.objects.filter(pk=user_id).values("username"),
        lambda user_id: User.objects.filter(pk=user_id).prefetch_related("groups"),
    ):
        with pytest.raises(TypeError, match="model instances without prefetch_related"):
            CompiledQuery(build, [Placeholder(0, -5)]).fetch(demo_user.pk)


def test_a_placeholder_the_query_does_not_use_is_refused(demo_user):
    query = CompiledQuery(lambda user_id: User.objects.filter(pk=1), [Placeholder(0, -5)])
    with pytest.raises(TypeError, match="each placeholder must appear once"):
        query.fetch(demo_user.pk)
