"""Fixtures of the routes tests: the original's clients call from a trusted network."""

import pytest
from rest_framework.test import APIClient

from routes.models import STATISTICS
from tests.routes.factories import ReportTypeFactory


@pytest.fixture
def trusted(settings):
    """APIClient's REMOTE_ADDR (127.0.0.1) is trusted: requests need no credentials, as the original."""
    settings.ROUTES_TRUSTED_NETWORKS = ["127.0.0.0/8"]


@pytest.fixture
def bot(db, trusted):
    """An unauthenticated client, like every real client of the original."""
    return APIClient()


@pytest.fixture
def statistics_type(db):
    return ReportTypeFactory(name=STATISTICS, verbose_name="Отчёты по статистике", priority=0)
