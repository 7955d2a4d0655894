"""Feecc Analytics routes, mounted at the site root: each path with and without its trailing
slash and never redirected (passports.md recommendation 21). Fixed segments (``types``,
``pending``, ``decode``, ``me``) come before the ``{id}`` patterns they would otherwise match.
"""

from django.urls import re_path

from passports.views import catalog, people, tcd, units

app_name = "passports"

ID = r"(?P<{}>[^/]+)"

urlpatterns = [
    re_path(r"^token/?$", people.TokenView.as_view(), name="token"),
    re_path(r"^api/v1/status/?$", people.StatusView.as_view(), name="status"),
    # passports
    re_path(r"^api/v1/passports/?$", units.PassportListView.as_view(), name="passport-list"),
    re_path(r"^api/v1/passports/types/?$", units.PassportTypesView.as_view(), name="passport-types"),
    re_path(
        rf"^api/v1/passports/{ID.format('internal_id')}/serial/?$",
        units.PassportSerialView.as_view(),
        name="passport-serial",
    ),
    re_path(
        rf"^api/v1/passports/{ID.format('internal_id')}/revision/cancel/?$",
        units.PassportRevisionCancelView.as_view(),
        name="passport-revision-cancel",
    ),
    re_path(
        rf"^api/v1/passports/{ID.format('internal_id')}/revision/?$",
        units.PassportRevisionView.as_view(),
        name="passport-revision",
    ),
    re_path(
        rf"^api/v1/passports/{ID.format('internal_id')}/?$", units.PassportDetailView.as_view(), name="passport-detail"
    ),
    # QC protocols
    re_path(r"^api/v1/tcd/protocols/?$", tcd.ProtocolListView.as_view(), name="protocol-list"),
    re_path(r"^api/v1/tcd/protocols/types/?$", tcd.ProtocolTypesView.as_view(), name="protocol-types"),
    re_path(r"^api/v1/tcd/protocols/pending/?$", tcd.ProtocolPendingView.as_view(), name="protocol-pending"),
    re_path(
        rf"^api/v1/tcd/protocols/{ID.format('internal_id')}/approve/?$",
        tcd.ProtocolApproveView.as_view(),
        name="protocol-approve",
    ),
    re_path(
        rf"^api/v1/tcd/protocols/{ID.format('internal_id')}/?$",
        tcd.ProtocolDetailView.as_view(),
        name="protocol-detail",
    ),
    # employees
    re_path(r"^api/v1/employees/?$", people.EmployeeListView.as_view(), name="employee-list"),
    re_path(r"^api/v1/employees/decode/?$", people.EmployeeDecodeView.as_view(), name="employee-decode"),
    re_path(
        rf"^api/v1/employees/{ID.format('rfid_card_id')}/?$",
        people.EmployeeDetailView.as_view(),
        name="employee-detail",
    ),
    # schemas and (deprecated) stages
    re_path(r"^api/v1/schemas/?$", catalog.SchemaListView.as_view(), name="schema-list"),
    re_path(rf"^api/v1/schemas/{ID.format('schema_id')}/?$", catalog.SchemaDetailView.as_view(), name="schema-detail"),
    re_path(r"^api/v1/stages/?$", catalog.StageListView.as_view(), name="stage-list"),
    re_path(rf"^api/v1/stages/{ID.format('stage_id')}/?$", catalog.StageDetailView.as_view(), name="stage-detail"),
    # users
    re_path(r"^api/v1/users/?$", people.UserListView.as_view(), name="user-list"),
    re_path(r"^api/v1/users/me/?$", people.UserMeView.as_view(), name="user-me"),
    re_path(rf"^api/v1/users/{ID.format('username')}/?$", people.UserDetailView.as_view(), name="user-detail"),
]
