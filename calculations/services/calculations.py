"""Create, copy, edit, comment and delete calculations (calculations.md §4.3.5–§4.3.8).

Every write runs in one transaction and ends with the engine (``calculation_recalculate``),
so stored forecasts always match the stored rows. Row inputs arrive as dicts whose keys are
model field names (``services.rows``); the header rules live in ``services.header``.
"""

from __future__ import annotations

import uuid
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
from calculations.services.forecast import calculation_recalculate
from calculations.services.header import field_error, header_apply, requirements_rebuild
from calculations.services.numbering import number_allocate, number_format
from calculations.services.rows import components_replace, requirements_replace
from common.exceptions import NotFoundError, PermissionDeniedError


def calculation_get(*, guid: uuid.UUID, lock: bool = False) -> Calculation:
    """The calculation by ``guid`` (404 when unknown); ``lock`` row-locks it for a write."""
    rows = Calculation.objects.select_related("author")
    if lock:
        rows = rows.select_for_update(of=("self",))
    calculation = rows.filter(guid=guid).first()
    if calculation is None:
        raise NotFoundError("Calculation not found.", resource_key="guid")
    return calculation


def _check_owner(*, calculation: Calculation, user) -> None:
    """The owner-only switch (calculations.md §8): off by default; staff may always write."""
    if settings.FORMULA_OWNER_ONLY_WRITE and calculation.author_id != user.pk and not user.is_staff:
        raise PermissionDeniedError("Only the author may change this calculation.")


def _apply(
    *,
    calculation: Calculation,
    header: dict[str, Any],
    components: list[dict] | None,
    requirements: list[dict] | None,
    rebuild: bool = False,
) -> None:
    changed = header_apply(calculation=calculation, changes=header)
    calculation.save()
    if changed or rebuild:
        requirements_rebuild(calculation)
    if components is not None:
        components_replace(calculation, components)
    if requirements is not None:
        requirements_replace(calculation, requirements)
    calculation_recalculate(calculation=calculation)


def _new_calculation(*, author, comment: str, create_date: datetime | None, guid: uuid.UUID | None) -> Calculation:
    created = create_date or timezone.now()
    year = timezone.localtime(created).year
    seq = number_allocate(year=year)
    return Calculation(
        guid=guid or uuid.uuid4(),
        year=year,
        seq=seq,
        number=number_format(year=year, seq=seq),
        author=author,
        create_date=created,
        comment=comment,
    )


@transaction.atomic
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
    calculation = _new_calculation(author=author, comment=comment or "", create_date=create_date, guid=guid)
    _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)
    return calculation


@transaction.atomic
def calculation_copy(
    *,
    source_guid: uuid.UUID,
    author,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
) -> Calculation:
    """COPY: everything of the source with new ids and number; lab facts cleared, forecasts recomputed."""
    source = Calculation.objects.filter(guid=source_guid).first()
    if source is None:
        raise field_error("calculationID", f'Unknown calculation "{source_guid}".')
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
    calculation = Calculation.objects.select_related("product", "specification", "norm_tech_doc").get(pk=calculation.pk)
    _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)
    return calculation


@transaction.atomic
def calculation_update(
    *,
    guid: uuid.UUID,
    user,
    header: dict[str, Any] | None = None,
    comment: str | None = None,
    components: list[dict] | None = None,
    requirements: list[dict] | None = None,
) -> Calculation:
    """EDIT: only what was sent changes; a header change rebuilds the requirements."""
    calculation = (
        Calculation.objects.select_for_update(of=("self",))
        .select_related("product", "specification", "norm_tech_doc")
        .filter(guid=guid)
        .first()
    )
    if calculation is None:
        raise NotFoundError("Calculation not found.", resource_key="guid")
    _check_owner(calculation=calculation, user=user)
    if comment is not None:
        calculation.comment = comment
    _apply(calculation=calculation, header=header or {}, components=components, requirements=requirements)
    return calculation


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


def calculation_write(
    *,
    user,
    guid: uuid.UUID | None,
    source_guid: uuid.UUID | None,
    status: str,
    header: dict[str, Any],
    comment: str | None,
    components: list[dict] | None,
    requirements: list[dict] | None,
) -> Calculation:
    """``POST /calculations/write``: dispatch on fields, not status (calculations.md §4.3.5).

    ``guid`` edits, ``calculationID`` (or status COPY) copies, anything else creates.
    """
    rows = {"header": header, "comment": comment, "components": components, "requirements": requirements}
    if guid and source_guid:
        raise field_error("calculationID", "Send either guid (edit) or calculationID (copy).")
    if guid:
        return calculation_update(guid=guid, user=user, **rows)
    if source_guid or status == "COPY":
        if not source_guid:
            raise field_error("calculationID", "COPY needs calculationID.")
        return calculation_copy(source_guid=source_guid, author=user, **rows)
    return calculation_create(author=user, **rows)
