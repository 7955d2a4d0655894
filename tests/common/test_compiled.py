"""common.compiled: a queryset compiled once answers what the ORM answers, with the ORM's SQL."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import Exists
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from common.compiled import CompiledQuery, CompiledRows, Placeholder
from common.models import RevokedTokenFamily
from tests.compiled import orm_and_window

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
    for build, message in (
        (lambda user_id: User.objects.filter(pk=user_id).values("username"), "querysets of model instances"),
        (lambda user_id: User.objects.filter(pk=user_id).prefetch_related("groups"), "without prefetch_related"),
    ):
        with pytest.raises(TypeError, match=message):
            CompiledQuery(build, [Placeholder(0, -5)]).fetch(demo_user.pk)


def test_a_placeholder_the_query_does_not_use_is_refused(demo_user):
    query = CompiledQuery(lambda user_id: User.objects.filter(pk=1), [Placeholder(0, -5)])
    with pytest.raises(TypeError, match="each placeholder must appear"):
        query.fetch(demo_user.pk)


def permissions(user_id):
    columns = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user_id).values_list(*columns).order_by()
    return own.union(Permission.objects.filter(group__user=user_id).values_list(*columns).order_by())


def test_rows_of_a_union_are_the_orm_rows_from_the_orm_sql_with_the_value_in_both_halves(demo_user):
    stranger = User.objects.create_user(username="stranger", password="x" * 12)
    group = Group.objects.create(name="compiled-rows")
    group.permissions.add(Permission.objects.get(codename="view_user"))
    demo_user.groups.add(group)
    demo_user.user_permissions.add(Permission.objects.get(codename="change_user"))
    stranger.user_permissions.add(Permission.objects.get(codename="delete_user"))
    query = CompiledRows(permissions, [Placeholder(0, -999_000_112)])
    for user in (demo_user, stranger):
        with CaptureQueriesContext(connection) as orm:
            expected = list(permissions(user.pk))
        with CaptureQueriesContext(connection) as compiled:
            got = query.fetch(user.pk)
        assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
        assert sorted(got) == sorted(expected) and got
    assert ("accounts", "delete_user") not in query.fetch(demo_user.pk)
    assert ("accounts", "view_user") not in query.fetch(stranger.pk)


def test_rows_it_cannot_give_as_the_driver_gives_them_are_refused(demo_user):
    for build, message in (
        (lambda user_id: User.objects.filter(pk=user_id), "values_list"),
        (lambda user_id: User.objects.filter(pk=user_id).values_list("pk", flat=True), "values_list"),
        (lambda user_id: User.objects.filter(pk=user_id).values_list("attributes"), "no conversion"),
    ):
        with pytest.raises(TypeError, match=message):
            CompiledRows(build, [Placeholder(0, -5)]).fetch(demo_user.pk)


def test_a_none_value_runs_the_queryset_itself_which_reads_is_null(demo_user):
    def by_email(email):
        return User.objects.filter(email=email).order_by("pk")

    demo_user.email = ""
    demo_user.save()
    query = CompiledQuery(by_email, [Placeholder(0, "email-placeholder-for-the-test")])
    with CaptureQueriesContext(connection) as ran:
        assert query.fetch(None) == list(by_email(None)) == []
    assert "IS NULL" in ran.captured_queries[0]["sql"]
    assert [u.pk for u in query.fetch("")] == [u.pk for u in by_email("")] and query.fetch("")


@pytest.mark.parametrize("name", ["quotas", "catalog users"])
def test_the_project_s_compiled_queries_answer_what_their_querysets_answer(demo_user, name):
    from accounts import selectors as accounts_selectors
    from accounts.models import Quota, default_quotas
    from calculations import selectors as calculations_selectors
    from tests.factories import UserFactory

    if name == "quotas":
        if not Quota.objects.filter(company_id=demo_user.company_id).exists():
            Quota.objects.bulk_create(default_quotas(company_id=demo_user.company_id))
        query = accounts_selectors._quotas_query
    else:
        UserFactory(company=demo_user.company, enabled=False)  # neither active nor an author: not listed
        UserFactory(company=demo_user.company)
        query = calculations_selectors._company_users_query
    expected = sorted(query._build(demo_user.company_id), key=lambda row: row.pk)
    got = sorted(query.fetch(demo_user.company_id), key=lambda row: row.pk)
    assert [fields_of(row) for row in got] == [fields_of(row) for row in expected] and got
    assert query.fetch(demo_user.company_id + 1000) == []


def test_a_values_window_is_the_orm_slice_with_its_converters(demo_user):
    from common.compiled import CompiledValues

    demo_user.attributes = {"shift": "night"}  # a JSON column: its converter runs
    demo_user.save()
    for n in range(4):
        User.objects.create_user(username=f"window_{n}", company=demo_user.company, password=None)

    def by_company(company_id):
        return User.objects.filter(company_id=company_id).order_by("username").values("username", "attributes")

    query = CompiledValues(by_company, [Placeholder(0, -999_000_113)])
    for offset, limit in ((0, 2), (1, 3), (4, 10), (9, 2)):
        assert query.fetch_window(demo_user.company_id, offset=offset, limit=limit) == list(
            by_company(demo_user.company_id)[offset : offset + limit]
        )
    rows = query.fetch_window(demo_user.company_id, offset=0, limit=100)
    assert {"username": "demo", "attributes": {"shift": "night"}} in rows
    assert query.fetch_window(None, offset=0, limit=5) == []  # the ORM's IS NULL


def test_querysets_a_values_window_cannot_hold_are_refused(demo_user):
    from common.compiled import CompiledValues

    ordered = User.objects.order_by("pk")
    for build, message in (
        (lambda user_id: ordered.filter(pk=user_id), "values"),
        (lambda user_id: User.objects.filter(pk=user_id).order_by().values("pk"), "ordered"),
        (lambda user_id: ordered.filter(pk=user_id).values("pk")[:5], "unsliced"),
        (lambda user_id: ordered.filter(pk=user_id).values("pk").select_for_update(), "lock"),
    ):
        with pytest.raises(TypeError, match=message):
            CompiledValues(build, [Placeholder(0, -5)]).fetch_window(demo_user.pk, offset=0, limit=1)
    with pytest.raises(TypeError, match="fetch_window"):
        CompiledValues(lambda user_id: ordered.filter(pk=user_id).values("pk"), [Placeholder(0, -5)]).fetch(1)


def test_a_window_reads_slices_and_counts_what_it_is_given(demo_user):
    from common.compiled import Window

    for n in range(3):
        User.objects.create_user(username=f"window_{n}", company=demo_user.company, password=None)

    def names(company_id):
        return User.objects.filter(company_id=company_id).order_by("username").values_list("username")

    window = Window(CompiledRows(names, [Placeholder(0, -999_000_114)]), demo_user.company_id)
    assert window[1:3] == list(names(demo_user.company_id)[1:3]) and len(window[1:3]) == 2
    assert window[0:0] == [] and window.count() == names(demo_user.company_id).count() == 4
    only_demo = User.objects.filter(username="demo")
    assert Window(window.query, demo_user.company_id, counted=only_demo).count() == 1
    for bad in (slice(0, 4, 2), slice(2, None), slice(3, 1), slice(-1, 2)):
        with pytest.raises(TypeError, match="start:stop"):
            window[bad]


def test_a_rows_window_of_an_unordered_queryset_is_refused(demo_user):
    query = CompiledRows(lambda user_id: User.objects.filter(pk=user_id).order_by().values_list("pk"), [USER])
    assert query.fetch(demo_user.pk) == [(demo_user.pk,)]  # a fetch of every row needs no order
    with pytest.raises(TypeError, match="ordered"):
        query.fetch_window(demo_user.pk, offset=0, limit=1)


def test_an_instances_window_is_the_orm_slice_with_its_related_rows(demo_user):
    from common.compiled import CompiledInstances, Window

    for n in range(4):
        User.objects.create_user(username=f"inst_{n}", company=demo_user.company, password=None, roles=[f"R{n}"])

    def ordered(company_id):
        return User.objects.select_related("company").filter(company_id=company_id).order_by("-username")

    query = CompiledInstances(ordered, [Placeholder(0, -999_000_115)])
    window = Window(query, demo_user.company_id)
    for offset, limit in ((0, 2), (1, 3), (3, 10), (9, 2)):
        expected, got = orm_and_window(ordered(demo_user.company_id), window, offset, limit)
        assert [fields_of(u) for u in got] == [fields_of(u) for u in expected]
        with CaptureQueriesContext(connection) as more:
            assert [fields_of(u.company) for u in got] == [fields_of(u.company) for u in expected]
        assert more.captured_queries == []
    for refused in (
        lambda company_id: User.objects.filter(company_id=company_id).order_by(),
        lambda company_id: User.objects.filter(company_id=company_id).order_by("pk")[:3],
        lambda company_id: User.objects.filter(company_id=company_id).order_by("pk").prefetch_related("groups"),
    ):
        with pytest.raises(TypeError):
            CompiledInstances(refused, [Placeholder(0, -999_000_115)]).fetch_window(1, offset=0, limit=1)


def test_a_compiled_count_runs_the_orm_s_count_sql_with_new_values(demo_user):
    from common.compiled import CompiledCount

    User.objects.create_user(username="counted", company=demo_user.company, password=None)

    def of_company(company_id):
        return User.objects.select_related("company").filter(company_id=company_id).order_by("username")

    count = CompiledCount(of_company, [Placeholder(0, -999_000_116)])
    count.fetch(demo_user.company_id)  # the first fetch on a connection alias compiles
    for company_id in (demo_user.company_id, demo_user.company_id + 1000):
        with CaptureQueriesContext(connection) as orm:
            expected = of_company(company_id).count()
        with CaptureQueriesContext(connection) as compiled:
            got = count.fetch(company_id)
        assert got == expected and [q["sql"] for q in compiled.captured_queries] == [
            q["sql"] for q in orm.captured_queries
        ]
    assert count.fetch(demo_user.company_id) == 2 and count.fetch(demo_user.company_id + 1000) == 0
    with pytest.raises(TypeError, match="unsliced"):
        CompiledCount(lambda: User.objects.order_by("pk")[:1], []).fetch()


def test_compiling_a_count_logs_only_the_count_it_sends(demo_user):
    """The count is captured once at the cursor, never sent: a debug cursor (the tests',
    ``CaptureQueriesContext``) logs the one count that runs, not the captured one."""
    from common.compiled import CompiledCount

    count = CompiledCount(lambda company_id: User.objects.filter(company_id=company_id), [Placeholder(0, -999_000_117)])
    with CaptureQueriesContext(connection) as compiled:
        assert count.fetch(demo_user.company_id) == 1  # compiles, then runs
    assert [q["sql"] for q in compiled.captured_queries] == [
        f'SELECT COUNT(*) AS "__count" FROM "accounts_user" WHERE "accounts_user"."company_id" = {demo_user.company_id}'
    ]


def test_compiled_dicts_are_the_orm_values_rows_with_their_converters_from_the_orm_sql(demo_user):
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import F, Value

    from common.compiled import CompiledDicts

    demo_user.attributes = {"shift": "night"}  # a JSON column: its converter runs
    demo_user.save()
    User.objects.create_user(username="dicts", company=demo_user.company, password=None)

    def of_company(company_id):
        return User.objects.filter(company_id=company_id).values(
            "username",
            "attributes",
            company_key=F("company__key"),
            group_names=ArrayAgg("groups__name", order_by=("groups__name",), default=Value([])),
        )

    query = CompiledDicts(of_company, [Placeholder(0, -999_000_118)])
    for company_id in (demo_user.company_id, demo_user.company_id + 1000):
        with CaptureQueriesContext(connection) as orm:
            expected = list(of_company(company_id))
        with CaptureQueriesContext(connection) as compiled:
            got = query.fetch(company_id)
        assert sorted(got, key=str) == sorted(expected, key=str)
        assert [q["sql"] for q in compiled.captured_queries] == [q["sql"] for q in orm.captured_queries]
    (demo,) = [row for row in query.fetch(demo_user.company_id) if row["username"] == "demo"]
    groups = sorted(demo_user.groups.values_list("name", flat=True))
    assert demo == {"username": "demo", "attributes": {"shift": "night"}, "company_key": demo_user.company.key,
                    "group_names": groups} and groups  # fmt: skip
    with pytest.raises(TypeError, match="values"):
        CompiledDicts(lambda: User.objects.all(), []).fetch()
