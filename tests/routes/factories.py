"""factory_boy factories for the routes models."""

import uuid

import factory

from routes.models import ChatRole, Department, Pizzeria, Region, ReportRoute, ReportType, TelegramChat


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    id = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Department {n}")
    uuid = factory.LazyFunction(uuid.uuid4)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")


class PizzeriaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pizzeria

    id = factory.Sequence(lambda n: 1000 + n)
    name = factory.Sequence(lambda n: f"Unit {n}")
    uuid = factory.LazyFunction(uuid.uuid4)
    office_manager_account_name = factory.LazyAttribute(lambda o: f"om_{o.id}")
    dodo_is_api_account_name = factory.LazyAttribute(lambda o: f"api_{o.id}")
    region = factory.SubFactory(RegionFactory)
    department = factory.SubFactory(DepartmentFactory)


class ReportTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportType

    name = factory.Sequence(lambda n: f"TYPE_{n}")
    verbose_name = factory.LazyAttribute(lambda o: o.name.title())
    is_active = True


class ChatRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatRole
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Role {n}")
    access_code = factory.Sequence(lambda n: f"code-{n}")

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.units.add(*extracted)

    @factory.post_generation
    def report_types(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.report_types.add(*extracted)


class TelegramChatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TelegramChat

    chat_id = factory.Sequence(lambda n: 500000 + n)
    title = factory.Sequence(lambda n: f"Chat {n}")
    username = None
    type = TelegramChat.ChatType.PRIVATE


class ReportRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRoute

    report_type = factory.SubFactory(ReportTypeFactory)
    unit = factory.SubFactory(PizzeriaFactory)
    telegram_chat = factory.SubFactory(TelegramChatFactory)
