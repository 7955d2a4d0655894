"""Create, copy, edit, comment and delete calculations (calculations.md §4.3.5–§4.3.8).

Every write runs in one transaction: the rows it leaves are built and validated in memory,
the engine sets their forecasts (``forecasts_apply``), then they are stored, so stored
forecasts always match the stored rows, and the answer is built from the same rows
(``WrittenCalculation``) instead of being read back. Inputs and errors use model field names
(``CalculationWriteInput``, ``services.rows``); the header rules live in ``services.header``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from calculations.models import (
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    TechnicalRequirement,
)
from calculations.selectors import calculation_not_found, calculation_rows
from calculations.services.forecast import ComponentWithValues, forecasts_apply
from calculations.services.header import header_apply, requirements_rebuilt
from calculations.services.numbering import number_allocate, number_format
from calculations.services.rows import ComponentRows, components_replaced, requirements_replaced, requirements_store
from common.exceptions import FieldErrors, NotAllowedError


@dataclass(frozen=True)
class CalculationWriteInput:
    """What ``POST /calculations/write`` asks for, in model names; ``calculation_write`` decides.

    ``header`` holds only the header fields that were sent (``product``, ``specification``,
    ``norm_tech_doc``); ``None`` for ``comment`` or a row list means "not sent".
    """

    guid: uuid.UUID | None = None  # edit this calculation
    source_guid: uuid.UUID | None = None  # copy this calculation
    status: str = ""
    header: dict[str, Any] = field(default_factory=dict)
    comment: str | None = None
    components: list[dict] | None = None
    technical_requirements: list[dict] | None = None

    def rows(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "comment": self.comment,
            "components": self.components,
            "requirements": self.technical_requirements,
        }


def calculation_get(*, guid: uuid.UUID, lock: bool = False) -> Calculation:
    """The calculation by ``guid`` with its author and header (404 when unknown); ``lock``
    row-locks it for a write (only the calculation's row, not the joined ones)."""
    rows = Calculation.objects.select_related("author", "product", "specification", "norm_tech_doc")
    if lock:
        rows = rows.select_for_update(of=("self",))
    calculation = rows.filter(guid=guid).first()
    if calculation is None:
        raise calculation_not_found(guid)
    return calculation


def _check_owner(*, calculation: Calculation, user) -> None:
    """The owner-only switch (calculations.md §8): off by default; staff may always write."""
    if settings.FORMULA_OWNER_ONLY_WRITE and calculation.author_id != user.pk and not user.is_staff:
        raise NotAllowedError("Only the author may change this calculation.")


@dataclass(frozen=True)
class WrittenCalculation:
    """A calculation as a write left it: the rows stored, in detail order (the answer is built from them)."""

    calculation: Calculation
    components: list[ComponentWithValues]
    requirements: list[TechnicalRequirement]


def _apply(
    *,
    calculation: Calculation,
    header: dict[str, Any],
    components: list[dict] | None,
    requirements: list[dict] | None,
    is_new: bool = False,
) -> WrittenCalculation:
    """Header, rows and forecasts, validated and computed in memory, then stored.

    The stored rows are read once (none for a new calculation); a header change rebuilds the
    requirements, sent rows replace the stored ones, the engine runs on the result.
    """
    changed = header_apply(calculation=calculation, changes=header)
    stored_components, stored_requirements = ([], []) if is_new else calculation_rows(calculation)
    requirement_rows = requirements_rebuilt(calculation, stored_requirements) if changed else stored_requirements
    if components is None:
        component_rows = ComponentRows.stored(stored_components)
    else:
        component_rows = components_replaced(calculation, components, stored_components)
    if requirements is not None:
        requirement_rows = requirements_replaced(calculation, requirements, requirement_rows)
    pairs = component_rows.with_values()
    _, changed_requirements = forecasts_apply(pairs, requirement_rows, component_rows.indicators)
    calculation.save()
    component_rows.write()
    replaced = requirement_rows is not stored_requirements
    requirements_store(calculation, requirement_rows, replaced=replaced, is_new=is_new, changed=changed_requirements)
    return WrittenCalculation(calculation, pairs, requirement_rows)


def calculation_number_assign(calculation: Calculation) -> None:
    """Give a new calculation the next number of its creation year (numbers come only from the counter)."""
    calculation.year = timezone.localtime(calculation.create_date).year
    calculation.seq = number_allocate(year=calculation.year)
    calculation.number = number_format(year=calculation.year, seq=calculation.seq)


def _new_calculation(*, author, comment: str, create_date: datetime | None, guid: uuid.UUID | None) -> Calculation:
    calculation = Calculation(
        guid=guid or uuid.uuid4(), author=author, create_date=create_date or timezone.now(), comment=comment
    )
    calculation_number_assign(calculation)
    return calculation


@transaction.atomic
def _create(
    *,
    author,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
    create_date: datetime | None = None,
    guid: uuid.UUID | None = None,
) -> WrittenCalculation:
    calculation = _new_calculation(author=author, comment=comment or "", create_date=create_date, guid=guid)
    return _apply(
        calculation=calculation, header=header or {}, components=components, requirements=requirements, is_new=True
    )


def calculation_create(
    *,
    author,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
    create_date: datetime | None = None,
    guid: uuid.UUID | None = None,
) -> Calculation:
    """NEW: a numbered calculation with requirements from its product (if any), forecasts computed."""
    rows = {"header": header, "comment": comment, "components": components, "requirements": requirements}
    return _create(author=author, create_date=create_date, guid=guid, **rows).calculation


@transaction.atomic
def _copy(
    *,
    source_guid: uuid.UUID,
    author,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
) -> WrittenCalculation:
    """COPY: everything of the source with new ids and number; lab facts cleared, forecasts recomputed."""
    source = Calculation.objects.filter(guid=source_guid).first()
    if source is None:
        raise FieldErrors({"source_guid": [f'Unknown calculation "{source_guid}".']})
    calculation = _new_calculation(
        author=author, comment=source.comment if comment is None else comment, create_date=None, guid=None
    )
    calculation.product_id = source.product_id
    calculation.specification_id = source.specification_id
    calculation.norm_tech_doc_id = source.norm_tech_doc_id
    calculation.save()
    rows, values = [], []
    for row in CalculationComponent.objects.filter(calculation=source).prefetch_related("indicators"):
        old_values = list(row.indicators.all())
        row.id, row.calculation, row.mass_percent_fact = uuid.uuid4(), calculation, None
        rows.append(row)
        for value in old_values:
            value.id, value.calc_component_id = uuid.uuid4(), row.id
            values.append(value)
    requirement_rows = list(TechnicalRequirement.objects.filter(calculation=source))
    for requirement in requirement_rows:
        requirement.id, requirement.calculation, requirement.fact_value = uuid.uuid4(), calculation, None
    CalculationComponent.objects.bulk_create(rows)
    CalculationComponentIndicator.objects.bulk_create(values)
    TechnicalRequirement.objects.bulk_create(requirement_rows)
    # Fields sent with the copy apply to the copy (calculations.md §4.3.5).
    calculation = Calculation.objects.select_related("author", "product", "specification", "norm_tech_doc").get(
        pk=calculation.pk
    )
    return _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)


@transaction.atomic
def _update(
    *,
    guid: uuid.UUID,
    user,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
) -> WrittenCalculation:
    """EDIT: only what was sent changes; a header change rebuilds the requirements."""
    calculation = calculation_get(guid=guid, lock=True)
    _check_owner(calculation=calculation, user=user)
    if comment is not None:
        calculation.comment = comment
    return _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)


@transaction.atomic
def calculation_comment_update(*, guid: uuid.UUID, user, comment: str) -> Calculation:
    """writeOnlist: change only the comment (row-locked: a racing delete makes it a 404, not a 500)."""
    calculation = calculation_get(guid=guid, lock=True)
    _check_owner(calculation=calculation, user=user)
    calculation.comment = comment
    calculation.save(update_fields=["comment", "updated_at"])
    return calculation


@transaction.atomic
def calculation_delete(*, guid: uuid.UUID, user) -> None:
    """Hard delete; the rows go by CASCADE and the number is never handed out again.

    The row lock first, as an edit takes it: otherwise the cascade (rows first, then the
    calculation) and a racing edit (calculation first, then rows) deadlock, and the cascade
    would miss rows the edit adds (tests/calculations/test_concurrency.py).
    """
    calculation = calculation_get(guid=guid, lock=True)
    _check_owner(calculation=calculation, user=user)
    calculation.delete()


def calculation_write(*, user, data: CalculationWriteInput) -> WrittenCalculation:
    """``POST /calculations/write``: dispatch on fields, not status (calculations.md §4.3.5).

    ``guid`` edits, ``source_guid`` (or status COPY) copies, anything else creates.
    """
    if data.guid and data.source_guid:
        raise FieldErrors({"source_guid": ["Send either guid (edit) or calculationID (copy)."]})
    if data.guid:
        return _update(guid=data.guid, user=user, **data.rows())
    if data.source_guid or data.status == "COPY":
        if not data.source_guid:
            raise FieldErrors({"source_guid": ["COPY needs calculationID."]})
        return _copy(source_guid=data.source_guid, author=user, **data.rows())
    return _create(author=user, **data.rows())
