"""The write's answer is built from the rows it stored, not read back: it must be the detail, byte for byte.

Each step of a scripted sequence of writes (NEW with a template and a group, EDIT keeping,
changing, dropping and adding rows and values, a header change, a copy, a PEN_INDEX forecast
without its inputs in the requirements, negative zeros) is compared with ``GET`` of the same
calculation, and recomputing the stored rows' forecasts afterwards must change nothing.
"""

from __future__ import annotations

import pytest

from calculations.models import Calculation, RequirementTemplate
from calculations.reference import S, X
from calculations.services.forecast import calculation_recalculate
from tests.calculations.helpers import CODE, comp, reqs, values_of

pytestmark = pytest.mark.django_db

BND70, BND100, OIL, CONC = S(7), S(8), S(9), X(115)
BITUMEN_TYPE = S(4)


@pytest.fixture
def check(demo_client):
    """POST a write, assert 200 and that its answer is the detail; return the answer."""

    def post(payload):
        response = demo_client.post("/formula/calculations/write", payload, format="json")
        assert response.status_code == 200, response.content
        detail = demo_client.get(f"/formula/calculations/write?guid={response.json()['guid']}")
        assert response.content == detail.content
        calculation_recalculate(calculation=Calculation.objects.get(guid=response.json()["guid"]))
        assert demo_client.get(f"/formula/calculations/write?guid={response.json()['guid']}").content == detail.content
        return response.json()

    return post


def _with_ids(rows: list[dict], stored: list[dict]) -> list[dict]:
    return [dict(row, id=s["id"]) for row, s in zip(rows, stored, strict=True)]


def test_new_and_edits_answer_the_detail(catalog, check):
    template = RequirementTemplate.objects.create(product_id=S(38), specification_id=X(701))
    for position, code in enumerate(("ELAST", "PEN25", "SP", "PI")):
        template.rows.create(indicator_id=CODE[code], position=position, standard_value_min=-1 if position else None)
    rows = [
        comp(BND70, 40, indicators=values_of(BND70, PEN25=("-0", "MANDATORY"), SP=("48.123456", "MANDATORY"))),
        comp(BND100, 30, "RANGE", 60),
        comp(OIL, -0.0),
        {"view": "TYPE", "componentTypeID": str(BITUMEN_TYPE), "type": "LESS_OR_EQUAL", "massPercent": 5},
    ]
    body = check({"productID": str(S(38)), "specificationID": str(X(701)), "components": rows})
    # The same rows again, with their ids and their values' ids: nothing changes.
    same = [dict(row, id=c["id"], indicators=c["indicators"]) for row, c in zip(rows, body["components"], strict=True)]
    assert check({"guid": body["guid"], "components": same})["components"] == body["components"]
    # Values changed by id, a component changed (values refilled), a row dropped, one sent twice, one new.
    first, second, third, fourth = body["components"]
    values = [dict(v, value=f"{n}.5") for n, v in enumerate(first["indicators"][:5])]
    edited = check({"guid": body["guid"], "components": [
        {"id": first["id"], "indicators": values, "massPercent": 50},
        {"id": third["id"], "componentID": str(BND100)},
        {"id": third["id"], **comp(CONC, 10)},
        {"id": fourth["id"], "view": "COMPONENT", "componentID": str(BND70)},
        {"view": "TYPE", "componentTypeID": str(BITUMEN_TYPE)},
    ]})  # fmt: skip
    assert [v["id"] for v in edited["components"][0]["indicators"]] == [v["id"] for v in values]
    assert second["id"] not in {c["id"] for c in edited["components"]}
    # Requirements sent with ids, a comment only, then a header change (requirements rebuilt).
    sent = [dict(r, factValue=1.5, comment="лаб.") for r in edited["technicalRequirements"]]
    check({"guid": body["guid"], "technicalRequirements": sent})
    check({"guid": body["guid"], "comment": "только комментарий"})
    moved = check({"guid": body["guid"], "productID": str(S(39)), "technicalRequirements": reqs("PI", "SP")})
    assert [r["indicatorID"] for r in moved["technicalRequirements"]] == [CODE["PI"], CODE["SP"]]
    check({"calculationID": body["guid"], "components": _with_ids(rows[:2], [first, third])})


def test_pen_index_without_its_inputs_among_the_requirements(catalog, check):
    body = check({"components": [comp(BND70, 60), comp(BND100, 40)], "technicalRequirements": reqs("PI")})
    assert body["technicalRequirements"][0]["forecastValue"] is not None
    # Rows not sent: the engine reads PEN25 and SP itself.
    again = check({"guid": body["guid"], "technicalRequirements": reqs("PI", "FLASH")})
    assert again["technicalRequirements"][0]["forecastValue"] == body["technicalRequirements"][0]["forecastValue"]


def test_an_empty_template_gives_no_rows_rather_than_the_fallback(catalog, check):
    fallback = check({"productID": str(S(39))})["technicalRequirements"]
    assert fallback  # no template for the product alone: the product type's indicators
    RequirementTemplate.objects.create(product_id=S(39))
    assert check({"productID": str(S(39))})["technicalRequirements"] == []
