"""The formula data model (calculations.md §3): catalogs, engine configuration, roles, calculations."""

from calculations.models.base import (
    PERCENT,
    VALUE,
    CatalogEntry,
    Comparison,
    ComponentView,
    IndicatorKind,
    MixingRule,
    ValueRole,
)
from calculations.models.calculation import (
    AccessRole,
    Calculation,
    CalculationComponent,
    CalculationComponentIndicator,
    CalculationNumberCounter,
    TechnicalRequirement,
)
from calculations.models.catalogs import (
    Component,
    ComponentBatch,
    ComponentGroup,
    ComponentType,
    Indicator,
    NormTechDoc,
    Product,
    ProductType,
    Specification,
    TaskType,
    TestMethod,
    UnitOfMeasure,
    Venue,
)
from calculations.models.templates import ComponentIndicatorValue, RequirementTemplate, RequirementTemplateRow

__all__ = [
    "PERCENT", "VALUE", "AccessRole", "Calculation", "CalculationComponent", "CalculationComponentIndicator",
    "CalculationNumberCounter", "CatalogEntry", "Comparison", "Component", "ComponentBatch", "ComponentGroup",
    "ComponentIndicatorValue", "ComponentType", "ComponentView", "Indicator", "IndicatorKind", "MixingRule",
    "NormTechDoc", "Product", "ProductType", "RequirementTemplate", "RequirementTemplateRow", "Specification",
    "TaskType", "TechnicalRequirement", "TestMethod", "UnitOfMeasure", "ValueRole", "Venue",
]  # fmt: skip
