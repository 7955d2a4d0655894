"""factory_boy factories for the VRt usage records."""

import uuid
from datetime import UTC, datetime, timedelta

import factory

from accounts.models import Process, ProcessData, ProcessRequest, Quota
from tests.factories import UserFactory


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    process_code = factory.LazyFunction(uuid.uuid4)
    user = factory.SubFactory(UserFactory)
    company = factory.LazyAttribute(lambda o: o.user.company)
    service = "UNIVERSAL"
    process_type = "PLAN"
    created_at = factory.LazyFunction(lambda: datetime(2026, 11, 10, 12, 0, tzinfo=UTC))
    status = "FINISHED_IN_TIME"
    request_points_count = 10
    result_elements_count = 2
    unique_points_count = 8
    result_version = 1
    calculation_time = timedelta(seconds=5.25)


class ProcessRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessRequest

    process = factory.SubFactory(ProcessFactory)
    request_code = factory.LazyFunction(uuid.uuid4)
    username = factory.LazyAttribute(lambda o: o.process.user.username)
    company = factory.LazyAttribute(lambda o: o.process.company.key)
    service = factory.LazyAttribute(lambda o: o.process.service)
    operation = "run_planning"
    env = "test"
    pod = "pod-1"
    time = factory.LazyAttribute(lambda o: o.process.created_at)


class ProcessDataFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessData

    process = factory.SubFactory(ProcessFactory)
    flow_type = "INPUT"
    flow_stage = "RAW"
    content = b'{"points": []}'


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota
        django_get_or_create = ("company", "service", "process_type")

    service = "UNIVERSAL"
    process_type = "PLAN"
    points_per_request = 100
    points_per_day = 1000
    max_concurrent_execution = 2
