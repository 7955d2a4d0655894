"""Product, specification and NTD of a calculation, and the requirement rows they imply (§4.3.5)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, Q, Subquery, Value

from calculations.models import (
    Calculation,
    Indicator,
    IndicatorKind,
    NormTechDoc,
    Product,
    RequirementTemplate,
    RequirementTemplateRow,
    Specification,
    TechnicalRequirement,
)
from common.exceptions import FieldErrors

HEADER_FIELDS = ("product", "specification", "norm_tech_doc")
_MODELS = {"product": Product, "specification": Specification, "norm_tech_doc": NormTechDoc}
# The product's link is its type; a specification's or NTD's, its product.
_LINKS = {"product": "product_type_id", "specification": "product_id", "norm_tech_doc": "product_id"}


def _header_rows(calculation: Calculation, changes: dict[str, Any]) -> dict[str, Any]:
    """The header rows the changes name, by field: the current one when unchanged, else read (one statement)."""
    found, wanted = {}, []
    for name in HEADER_FIELDS:
        guid = changes.get(name)
        if guid is None:
            continue
        if guid == getattr(calculation, f"{name}_id"):
            found[name] = getattr(calculation, name)  # loaded with the calculation
            continue
        rows = _MODELS[name].objects.filter(guid=guid).annotate(field=Value(name), link=F(_LINKS[name]))
        wanted.append(rows.values_list("field", "guid", "name", "link").order_by())
    if wanted:
        rows = wanted[0].union(*wanted[1:], all=True) if len(wanted) > 1 else wanted[0]
        for name, guid, title, link in rows:
            model = _MODELS[name]
            columns = {"guid": guid, "name": title, _LINKS[name]: link}  # all of the model's columns
            found[name] = model.from_db(rows.db, None, [columns[f.attname] for f in model._meta.concrete_fields])
    return found


def header_apply(*, calculation: Calculation, changes: dict[str, Any]) -> bool:
    """Apply product/specification/NTD changes with their rules; return whether anything changed."""
    before = tuple(getattr(calculation, f"{f}_id") for f in HEADER_FIELDS)
    found = _header_rows(calculation, changes)
    if "product" in changes:
        guid = changes["product"]
        product = None
        if guid is not None:
            product = found.get("product")
            if product is None:
                raise FieldErrors({"product": [f'Unknown product "{guid}".']})
        calculation.product = product
    for field, model in (("specification", Specification), ("norm_tech_doc", NormTechDoc)):
        if field in changes:
            guid = changes[field]
            value = None
            if guid is not None:
                value = found.get(field)
                if value is None:
                    raise FieldErrors({field: [f'Unknown {model._meta.verbose_name} "{guid}".']})
                if calculation.product_id is None:
                    raise FieldErrors({field: [f"A {model._meta.verbose_name} needs a productID."]})
                if value.product_id != calculation.product_id:
                    raise FieldErrors({field: [f"The {model._meta.verbose_name} belongs to another product."]})
            setattr(calculation, field, value)
        else:
            current = getattr(calculation, field)
            # A product change silently drops a specification/NTD of another product.
            if current is not None and current.product_id != calculation.product_id:
                setattr(calculation, field, None)
    return before != tuple(getattr(calculation, f"{f}_id") for f in HEADER_FIELDS)


def _with_children(rows: list[dict], indicators: dict[uuid.UUID, Indicator]) -> list[dict]:
    """Put each GROUP's children right after it, adding the ones the source forgot."""
    present = {row["indicator"].pk for row in rows}
    out: list[dict] = []
    for row in rows:
        if row["indicator"].kind == IndicatorKind.CHILD and row["indicator"].parent_id in present:
            continue  # placed after its group below
        out.append(row)
        if row["indicator"].kind == IndicatorKind.GROUP:
            own = [r for r in rows if r["indicator"].parent_id == row["indicator"].pk]
            missing = [
                {"indicator": child}
                for child in sorted(indicators.values(), key=lambda i: (i.ordinal, i.name))
                if child.parent_id == row["indicator"].pk and child.pk not in present
            ]
            out.extend(own + missing)
    return out


def _template_rows(calculation: Calculation) -> list[dict] | None:
    """The rows of the best template for the header (one query), ``None`` when there is none.

    Best: the one naming both the specification and the NTD, then the NTD only, then the
    specification only, then neither; the filter leaves each of them either the calculation's
    value or none, so "named first" is ``NULLS LAST`` on each.
    """
    templates = RequirementTemplate.objects.filter(
        Q(specification_id=calculation.specification_id) | Q(specification__isnull=True),
        Q(norm_tech_doc_id=calculation.norm_tech_doc_id) | Q(norm_tech_doc__isnull=True),
        product_id=calculation.product_id,
    )
    best = templates.order_by(
        F("norm_tech_doc_id").asc(nulls_last=True), F("specification_id").asc(nulls_last=True)
    ).values("pk")[:1]
    rows = RequirementTemplateRow.objects.filter(template=Subquery(best)).select_related("indicator")
    source = [
        {
            "indicator": r.indicator,
            "standard_value_min": r.standard_value_min,
            "standard_value_max": r.standard_value_max,
            "decimal_places": r.decimal_places,
            "comment": r.comment,
        }
        for r in rows.order_by("position")
    ]
    if not source and not templates.exists():
        return None
    return source


def _requirements_source(calculation: Calculation) -> list[dict]:
    """The requirement rows for the calculation's header: the best template, else the product type's indicators."""
    product = calculation.product
    if product is None:
        return []
    source = _template_rows(calculation)
    if source is not None:
        groups = [r["indicator"].pk for r in source if r["indicator"].kind == IndicatorKind.GROUP]
        children = {i.pk: i for i in Indicator.objects.filter(parent_id__in=groups)} if groups else {}
        return _with_children(source, children)
    matching = list(Indicator.objects.filter(product_types=product.product_type_id).order_by("ordinal", "name"))
    by_pk = {i.pk: i for i in matching}
    top = [{"indicator": i} for i in matching if i.parent_id not in by_pk]
    children = [{"indicator": i} for i in matching if i.parent_id in by_pk]
    return _with_children(top + children, by_pk)


def requirements_rebuilt(calculation: Calculation, current: list[TechnicalRequirement]) -> list[TechnicalRequirement]:
    """The requirement rows for the header, keeping fact values and comments of surviving indicators.

    ``current`` are the rows stored now; nothing is written here (``services.calculations`` stores them).
    """
    old = {r.indicator_id: r for r in current}
    rows = []
    for position, source in enumerate(_requirements_source(calculation)):
        indicator = source["indicator"]
        kept = old.get(indicator.pk)
        places = source.get("decimal_places")
        rows.append(
            TechnicalRequirement(
                id=kept.id if kept else uuid.uuid4(),
                calculation=calculation,
                indicator=indicator,
                position=position,
                standard_value_min=source.get("standard_value_min"),
                standard_value_max=source.get("standard_value_max"),
                decimal_places=indicator.decimal_places if places is None else places,
                comment=kept.comment if kept else source.get("comment", ""),
                fact_value=kept.fact_value if kept else None,
            )
        )
    return rows
