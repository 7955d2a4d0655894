"""factory_boy factories for the identity models; each app adds its own in tests/<app>/factories.py."""

import factory

from accounts.models import Company, User, UserRole

TEST_PASSWORD = "test-password-2026"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"company_{n}")
    name = factory.LazyAttribute(lambda o: o.key.replace("_", " ").title())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, as every write path: a new company is stored with its quotas.
        from accounts.services import company_get_or_create

        return company_get_or_create(**kwargs)[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user_{n}")
    company = factory.SubFactory(CompanyFactory)
    roles = factory.LazyFunction(lambda: [UserRole.USER])
    first_name = "Test"
    last_name = factory.LazyAttribute(lambda o: o.username.title())

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            from django.contrib.auth.models import Group

            obj.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in extracted))
