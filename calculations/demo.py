"""The calculations app's part of ``seed_demo``: reference users and the demo calculations of §9.

Built through the services, so numbers come from the counter and forecasts from the engine.
Idempotent: a calculation whose GUID exists is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from calculations import reference as ref
from calculations.models import Calculation
from calculations.permissions import GROUP_OBSERVER, GROUP_TECHNOLOGIST
from calculations.services.access import formula_roles_ensure
from calculations.services.calculations import calculation_create
from calculations.services.catalogs import formula_catalogs_ensure

#: The demo user is a technologist, the viewer an observer (``accounts.demo.demo_seeders``).
DEMO_GROUPS = (GROUP_TECHNOLOGIST,)
VIEWER_GROUPS = (GROUP_OBSERVER,)

S, X = ref.S, ref.X


def _row(component, percent=None):
    return {"component": component, "mass_percent": None if percent is None else Decimal(percent)}


# (guid, author username, created, product, specification, NTD, components, comment)
DEMO_CALCULATIONS = [
    (S(100), "ivanov", datetime(2025, 7, 14, 14, 5, 16), S(37), S(40), S(48),
     [_row(X(113), "30"), _row(S(7))], "Подбор PG 64-22 из БНД 50/70 и БНД 70/100"),
    (S(101), "ivanov", datetime(2025, 7, 15, 9, 30), S(38), X(701), X(801),
     [_row(S(7), "60"), _row(X(115), "40")], "ПБВ 60 на концентрате СБС 9 %"),
    (X(1101), "petrov", datetime(2025, 7, 20, 7, 0), S(38), X(702), X(801),
     [_row(S(7), "90"), _row(S(9)), _row(X(114), "3.5"), _row(S(11), "0.5")], "Классическая рецептура ПБВ 60"),
    (X(1102), "ivanov", datetime(2025, 7, 29, 12, 0), S(39), X(705), X(802),
     [_row(S(7), "60"), _row(S(8), "40")], "Компаундирование 70/100 + 100/130"),
]  # fmt: skip


def _reference_users(company) -> dict[str, User]:
    users = {}
    for guid, username, first, last, group in ref.USERS:
        user = User.objects.filter(guid=guid).first() or User.objects.filter(username=username).first()
        if user is None:
            user = User(guid=guid, username=username, company=company, first_name=first, last_name=last)
            user.set_unusable_password()  # authors of the demo data; nobody logs in as them
            user.save()
            # Groups only for a user made here: an existing user's groups are the operator's, and
            # seeding must not grant them rights.
            if group:
                user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


@transaction.atomic
def seed(*, actors) -> str:
    """Create the reference users and the four demo calculations in ``actors.company``."""
    formula_roles_ensure()
    formula_catalogs_ensure()
    users = _reference_users(actors.company)
    created = 0
    for guid, author, moment, product, spec, ntd, components, comment in DEMO_CALCULATIONS:
        if Calculation.objects.filter(guid=guid).exists():
            continue
        calculation_create(
            guid=guid,
            author=users[author],
            create_date=moment.replace(tzinfo=UTC),
            header={"product": product, "specification": spec, "norm_tech_doc": ntd},
            comment=comment,
            components=components,
        )
        created += 1
    return f"{created} demo calculations created ({len(DEMO_CALCULATIONS)} in the set)"
