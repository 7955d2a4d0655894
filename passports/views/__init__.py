"""HTTP interface of the passports app: thin views over services and selectors.

Views live in modules by router (``units``, ``tcd``, ``catalog``, ``people``); their base view
and the OpenAPI helpers they share are in ``passports.views.base``.
"""

from passports.views.base import PassportsAPIView

__all__ = ["PassportsAPIView"]
