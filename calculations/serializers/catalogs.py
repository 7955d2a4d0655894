"""The catalogs of ``GET /catalogs/list/<name>``: what each lists, its item body, its documentation.

Each item builder reads a ``.values()`` row of ``calculations.selectors`` and emits exactly its serializer's fields
(tests/calculations/test_builders_match_schema.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from rest_framework import serializers

from calculations import models, selectors
from calculations.serializers import outputs as out


def _simple(row: dict) -> dict:
    return {"guid": str(row["guid"]), "name": row["name"]}


def component_type_data(row: dict) -> dict:
    return {**_simple(row), "isCalculated": row["is_calculated"]}


def component_data(row: dict) -> dict:
    kind = str(row["component_type_id"])
    return {**_simple(row), "typeID": kind, "type_id": kind, "isCalculated": row["is_calculated"]}


def venue_data(row: dict) -> dict:
    return {**_simple(row), "main": row["is_main"]}


def batch_data(row: dict) -> dict:
    return {**_simple(row), "componentID": out._guid(row["component_id"])}


def product_data(row: dict) -> dict:
    return {**_simple(row), "productTypeID": str(row["product_type_id"]), "productType": row["product_type_name"]}


def product_bound_data(row: dict) -> dict:
    return {**_simple(row), "productID": str(row["product_id"])}


def _company_users(actor) -> list:
    return selectors.user_list(company_id=actor.company_id)  # the requester's company only


def _every(select: Callable, *args) -> Callable:
    """Rows that do not depend on who asks."""
    return lambda actor: select(*args)


@dataclass(frozen=True)
class Catalog:
    rows: Callable[[object], list]  # the rows the requesting user sees
    build: Callable[[object], dict]  # one item's body
    serializer: type[serializers.Serializer]  # documents ``build``'s body


_named = partial(Catalog, build=_simple, serializer=out.FormulaCatalogItemOutputSerializer)

CATALOGS: dict[str, Catalog] = {
    "users": Catalog(_company_users, out.user_data, out.FormulaUserOutputSerializer),
    "componentTypes": Catalog(
        _every(selectors.catalog_list, models.ComponentType, "is_calculated"),
        component_type_data,
        out.ComponentTypeOutputSerializer,
    ),
    "components": Catalog(
        _every(selectors.catalog_list, models.Component, "component_type_id", "is_calculated"),
        component_data,
        out.ComponentOutputSerializer,
    ),
    "componentGroups": _named(_every(selectors.catalog_list, models.ComponentGroup)),
    "units": _named(_every(selectors.catalog_list, models.UnitOfMeasure)),
    "testMethods": _named(_every(selectors.catalog_list, models.TestMethod)),
    "indicators": Catalog(_every(selectors.indicator_list), out.indicator_data, out.IndicatorOutputSerializer),
    "venues": Catalog(_every(selectors.venue_list, models.Venue), venue_data, out.VenueOutputSerializer),
    "taskTypes": _named(_every(selectors.catalog_list, models.TaskType)),
    "batchOfComponents": Catalog(
        _every(selectors.catalog_list, models.ComponentBatch, "component_id"),
        batch_data,
        out.ComponentBatchOutputSerializer,
    ),
    "products": Catalog(_every(selectors.product_list, models.Product), product_data, out.ProductOutputSerializer),
    "productTypes": _named(_every(selectors.catalog_list, models.ProductType)),
    "specifications": Catalog(
        _every(selectors.catalog_list, models.Specification, "product_id"),
        product_bound_data,
        out.ProductBoundOutputSerializer,
    ),
    "normTechDoc": Catalog(
        _every(selectors.catalog_list, models.NormTechDoc, "product_id"),
        product_bound_data,
        out.ProductBoundOutputSerializer,
    ),
}
