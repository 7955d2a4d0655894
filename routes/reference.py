"""The original's reference data (``report_types.json``, ``statistics_report_types.json``,
``account_roles.json``) with the production ids (routes.md, Decision 11)."""

from __future__ import annotations

from typing import NamedTuple


class ReportTypeSeed(NamedTuple):
    id: int
    name: str
    verbose_name: str


class AccountRoleSeed(NamedTuple):
    id: int
    name: str


REPORT_TYPES = (
    ReportTypeSeed(1, "STATISTICS", "Отчёты по статистике"),
    ReportTypeSeed(2, "INGREDIENTS_STOP_SALES", "Стопы (тесто, сыр, пицца-соус)"),
    ReportTypeSeed(3, "STREET_STOP_SALES", "Стопы (Улица)"),
    ReportTypeSeed(4, "SECTOR_STOP_SALES", "Стопы (Сектор)"),
    ReportTypeSeed(5, "PIZZERIA_STOP_SALES", "Стопы (Пиццерия)"),
    ReportTypeSeed(6, "STOPS_AND_RESUMES", "Стопы (Остальные ингредиенты)"),
    ReportTypeSeed(7, "CANCELED_ORDERS", "Отмены заказов"),
    ReportTypeSeed(8, "CHEATED_PHONE_NUMBERS", "Мошенничество с номерами"),
    ReportTypeSeed(9, "WRITE_OFFS", "Списания ингредиентов"),
    # Added to the original's list after the statistics types got ids 10..20.
    ReportTypeSeed(21, "LATE_DELIVERY_VOUCHERS", "Сертификаты за опоздание"),
)

# Children of STATISTICS: that parent link is what makes a type a statistics type.
STATISTICS_REPORT_TYPES = (
    ReportTypeSeed(10, "COOKING_TIME", "Время приготовления (общее)"),
    ReportTypeSeed(11, "RESTAURANT_COOKING_TIME", "Время приготовления (ресторан)"),
    ReportTypeSeed(12, "KITCHEN_PERFORMANCE", "Производительность кухни"),
    ReportTypeSeed(13, "DELIVERY_AWAITING_TIME", "Время на полке / 1в1"),
    ReportTypeSeed(14, "DELIVERY_SPEED", "Скорость доставки"),
    ReportTypeSeed(15, "DELIVERY_PERFORMANCE", "Производительность доставки"),
    ReportTypeSeed(16, "BEING_LATE_CERTIFICATES", "Сертификаты за опоздание"),
    ReportTypeSeed(17, "DAILY_REVENUE", "Выручка за сегодня"),
    ReportTypeSeed(18, "AWAITING_ORDERS", "Остывает на полке"),
    ReportTypeSeed(19, "BONUS_SYSTEM", "Бонусная система"),
    ReportTypeSeed(20, "PRODUCTIVITY_BALANCE", "Баланс эффективности"),
)

ACCOUNT_ROLES = (
    AccountRoleSeed(3, "Shift Manager"),
    AccountRoleSeed(7, "Office Manager"),
)
