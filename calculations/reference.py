"""The reference catalog of calculations.md §9 as plain data (GUIDs of the seed's examples reused).

All component values are illustrative demo values within typical ranges for each grade;
they come from no certificate. ``S(n)`` are the seed's own example GUIDs, ``X(n)`` the
block of extra records.
"""

from __future__ import annotations

import uuid

from calculations.permissions import GROUP_OBSERVER, GROUP_TECHNOLOGIST


def S(n: int) -> uuid.UUID:
    return uuid.UUID(f"00000000-0000-0000-0000-{n:012d}")


def X(n: int) -> uuid.UUID:
    return uuid.UUID(f"00000000-0000-0000-0001-{n:012d}")


PRODUCT_TYPES = [(S(801), "PG"), (S(802), "ПБВ"), (X(601), "БНД")]
PRODUCTS = [
    (S(37), "PG 64-22", S(801)),
    (S(38), "ПБВ 60", S(802)),
    (S(39), "БНД 70/100", X(601)),
    (X(501), "ПБВ 90", S(802)),
    (X(502), "PG 70-28", S(801)),
]
SPECIFICATIONS = [
    (S(40), "Стандартная поставка", S(37)),
    (S(41), "Требования заказчика (ужесточённые)", S(37)),
    (S(42), "Зимний период", S(37)),
    (X(701), "Дороги I–II категории, мосты, аэродромы", S(38)),
    (X(702), "Дороги III–IV категории", S(38)),
    (X(703), "Дороги I–II категории, мосты, аэродромы", X(501)),
    (X(704), "Дороги III–IV категории", X(501)),
    (X(705), "Стандартная поставка", S(39)),
]
NORM_TECH_DOCS = [
    (S(48), "ГОСТ Р 58400.1-2019", S(37)),
    (X(801), "ГОСТ Р 52056-2003", S(38)),
    (X(802), "ГОСТ 33133-2014", S(39)),
    (X(803), "ГОСТ Р 52056-2003", X(501)),
    (X(804), "ГОСТ Р 58400.1-2019", X(502)),
]
UNITS = [
    (S(16), "0,1 мм"),
    (S(17), "°C"),
    (S(18), "см"),
    (X(201), "%"),
    (X(202), "Па·с"),
    (X(203), "мм²/с"),
    (X(204), "ед."),
]
TEST_METHODS = [
    (S(19), "ГОСТ 33136-2014", "Битумы нефтяные. Метод определения глубины проникания иглы"),
    (S(20), "ГОСТ 33142-2014", "Битумы нефтяные. Метод определения температуры размягчения. Метод «Кольцо и шар»"),
    (S(21), "ГОСТ 33138-2014", "Битумы нефтяные. Метод определения растяжимости"),
    (X(301), "ГОСТ 33143-2014", "Битумы нефтяные. Метод определения температуры хрупкости по Фраасу"),
    (X(302), "ГОСТ Р 52056-2003", "Вяжущие полимерно-битумные дорожные на основе блоксополимеров типа СБС"),
    (X(303), "ГОСТ 33140-2014", "Битумы нефтяные. Метод определения старения под воздействием температуры и воздуха"),
    (X(304), "ГОСТ 4333", "Нефтепродукты. Методы определения температур вспышки и воспламенения в открытом тигле"),
    (X(305), "Расчётный (по П25 и Тр)", ""),
    (X(306), "AASHTO T 315 (DSR)", ""),
    (X(307), "AASHTO T 313 (BBR)", ""),
    (X(308), "AASHTO T 316", ""),
    (X(309), "AASHTO T 240 (RTFOT)", ""),
    (X(310), "ГОСТ 33 (кинематическая вязкость)", ""),
]
COMPONENT_TYPES = [
    (S(4), "Битум нефтяной дорожный", True),
    (S(5), "Пластификатор", True),
    (S(6), "Адгезионная присадка", False),
    (X(104), "Полимер", True),
    (X(105), "Полимерно-битумный концентрат", True),
]
COMPONENTS = [
    (S(7), "Битум БНД 70/100", S(4)),
    (S(8), "Битум БНД 100/130", S(4)),
    (S(9), "Масло индустриальное И-40А", S(5)),
    (S(10), "Масло индустриальное И-20А", S(5)),
    (S(11), "Адгезионная присадка (амидоамины)", S(6)),
    (S(12), "Адгезионная присадка (имидазолины)", S(6)),
    (X(113), "Битум БНД 50/70", S(4)),
    (X(114), "Блоксополимер СБС линейный", X(104)),
    (X(115), "Концентрат ПМБ (СБС 9 %)", X(105)),
]
COMPONENT_GROUPS = [(S(13), "Вяжущие"), (S(14), "Модификаторы"), (S(15), "Добавки")]
VENUES = [
    (S(31), "Лаборатория НИЦ", True),
    (S(32), "Производственная площадка № 1", False),
    (S(33), "Производственная площадка № 2", False),
]
TASK_TYPES = [(S(34), "Подбор рецептуры"), (S(35), "Входной контроль сырья"), (S(36), "Исследование модификатора")]
BATCHES = [(X(1001), "БНД 70/100, партия 2025/118", S(7)), (X(1002), "СБС, партия 2025/07", X(114))]

PG, PBV, BND = S(801), S(802), X(601)

# (ordinal, guid, kind, parent code, name, short name, unit, method, product types, exclude, dp, code, rule)
INDICATORS = [
    (1, X(401), "GROUP", None, "Глубина проникания иглы", "П", S(16), S(19), [PBV, BND], False, 0, "PEN", "NONE"),
    (2, S(22), "CHILD", "PEN", "Глубина проникания иглы при 25 °С", "П25", S(16), S(19), [PBV, BND], True, 0, "PEN25", "LOG"),
    (3, S(23), "CHILD", "PEN", "Глубина проникания иглы при 0 °С", "П0", S(16), S(19), [PBV, BND], True, 0, "PEN0", "LOG"),
    (4, S(24), "SIMPLE", None, "Температура размягчения по кольцу и шару", "Тр", S(17), S(20), [PG, PBV, BND], False, 1, "SP", "LINEAR"),
    (5, X(402), "GROUP", None, "Растяжимость", "Р", S(18), S(21), [PBV, BND], False, 1, "DUCT", "NONE"),
    (6, S(25), "CHILD", "DUCT", "Растяжимость при 25 °С", "Р25", S(18), S(21), [PBV, BND], True, 0, "DUCT25", "NONE"),
    (7, S(26), "CHILD", "DUCT", "Растяжимость при 0 °С", "Р0", S(18), S(21), [PBV, BND], True, 1, "DUCT0", "NONE"),
    (8, S(27), "SIMPLE", None, "Температура хрупкости по Фраасу", "Тхр", S(17), X(301), [PBV, BND], False, 0, "FRAASS", "LINEAR"),
    (9, X(403), "GROUP", None, "Эластичность", "Эл", X(201), X(302), [PBV], False, 0, "ELAST", "NONE"),
    (10, S(28), "CHILD", "ELAST", "Эластичность при 25 °С", "Эл25", X(201), X(302), [PBV], True, 0, "ELAST25", "NONE"),
    (11, S(29), "CHILD", "ELAST", "Эластичность при 0 °С", "Эл0", X(201), X(302), [PBV], True, 0, "ELAST0", "NONE"),
    (12, X(404), "SIMPLE", None, "Изменение температуры размягчения после прогрева", "ΔТр", S(17), X(303), [PBV, BND], False, 1, "DSP", "LINEAR"),
    (13, S(30), "SIMPLE", None, "Температура вспышки", "Твсп", S(17), X(304), [PG, PBV, BND], False, 0, "FLASH", "MIN"),
    (14, X(405), "SIMPLE", None, "Индекс пенетрации", "ИП", X(204), X(305), [BND], False, 2, "PI", "PEN_INDEX"),
    (15, X(406), "SIMPLE", None, "Содержание полимера СБС", "СБС", X(201), None, [PBV], False, 2, "SBS", "MASS_BALANCE"),
    (16, X(407), "SIMPLE", None, "Верхняя критическая температура, G*/sinδ = 1,0 кПа", "Tв", S(17), X(306), [PG], False, 1, "THIGH", "LINEAR"),
    (17, X(408), "SIMPLE", None, "Нижняя критическая температура, BBR", "Tн", S(17), X(307), [PG], False, 1, "TLOW", "LINEAR"),
    (18, X(409), "SIMPLE", None, "Динамическая вязкость при 135 °С", "η135", X(202), X(308), [PG], False, 3, "VISC135", "LOG"),
    (19, X(410), "SIMPLE", None, "Потеря массы после RTFOT", "Δm", X(201), X(309), [PG], False, 2, "MASSLOSS", "LINEAR"),
    (20, X(411), "SIMPLE", None, "Кинематическая вязкость при 40 °С", "ν40", X(203), X(310), [], False, 1, "KV40", "LOG"),
]  # fmt: skip

M, R = "MANDATORY", "REFERENCE"
_BITUMEN_CODES = ("PEN25", "PEN0", "SP", "DUCT25", "DUCT0", "FRAASS", "DSP", "FLASH", "SBS", "VISC135", "THIGH", "TLOW", "MASSLOSS")  # fmt: skip


def _bitumen(*numbers):
    roles = {"DUCT25": R, "DUCT0": R}
    return {code: (value, roles.get(code, M)) for code, value in zip(_BITUMEN_CODES, numbers, strict=True)}


# component guid → {indicator code: (value, role)}
COMPONENT_VALUES = {
    S(7): _bitumen("85", "27", "48.5", "85", "4.5", "-20", "5.0", "262", "0", "0.41", "63.1", "-24.6", "0.18"),
    S(8): _bitumen("118", "34", "45.5", "95", "5.5", "-22", "5.5", "255", "0", "0.31", "59.4", "-27.9", "0.25"),
    X(113): _bitumen("62", "19", "51.5", "70", "3.8", "-17", "4.5", "268", "0", "0.62", "67.2", "-19.8", "0.12"),
    S(9): {"FLASH": ("225", M), "SBS": ("0", M), "KV40": ("68", R)},
    S(10): {"FLASH": ("200", M), "SBS": ("0", M), "KV40": ("32", R)},
    S(11): {"FLASH": ("180", R)},
    S(12): {"FLASH": ("180", R)},
    X(114): {"SBS": ("100", M)},
    X(115): {
        "PEN25": ("72", M),
        "PEN0": ("36", M),
        "SP": ("88.0", M),
        "DUCT25": ("60", R),
        "DUCT0": (None, R),
        "FRAASS": ("-28", M),
        "ELAST25": ("92", R),
        "DSP": ("2.0", M),
        "FLASH": ("250", M),
        "SBS": ("9.0", M),
        "VISC135": ("2.90", M),
        "THIGH": ("90.5", M),
        "TLOW": ("-31.0", M),
        "MASSLOSS": ("0.30", M),
    },  # fmt: skip
}

_PG = lambda high, low: [("THIGH", high, None), ("TLOW", None, low), ("VISC135", None, "3.000"), ("FLASH", "230", None), ("MASSLOSS", None, "1.00")]  # noqa: E731  # fmt: skip


def _pbv(pen25, pen0, sp, duct25, duct0, fraass, elast25, elast0, dsp):
    return [
        ("PEN", None, None), ("PEN25", pen25, None), ("PEN0", pen0, None), ("SP", sp, None),
        ("DUCT", None, None), ("DUCT25", duct25, None), ("DUCT0", duct0, None), ("FRAASS", None, fraass),
        ("ELAST", None, None), ("ELAST25", elast25, None), ("ELAST0", elast0, None), ("DSP", None, dsp),
        ("FLASH", "220", None), ("SBS", None, None),
    ]  # fmt: skip


# (guid, product, specification, NTD, [(indicator code, min, max)])
TEMPLATES = [
    (X(901), S(37), S(40), S(48), _PG("64", "-22")),
    (X(902), S(37), None, S(48), _PG("64", "-22")),
    (X(903), S(38), X(701), X(801), _pbv("60", "32", "56", "25", "11", "-20", "85", "75", "5")),
    (X(904), S(38), X(702), X(801), _pbv("60", "32", "54", "25", "11", "-20", "80", "70", "5")),
    (X(905), X(501), X(703), X(803), _pbv("90", "40", "53", "30", "15", "-25", "90", "80", "6")),
    (X(906), X(501), X(704), X(803), _pbv("90", "40", "51", "30", "15", "-25", "85", "75", "6")),
    (
        X(907),
        S(39),
        X(705),
        X(802),
        [
            ("PEN", None, None),
            ("PEN25", "71", "100"),
            ("SP", "47", None),
            ("DUCT", None, None),
            ("DUCT25", "62", None),
            ("DUCT0", "3.7", None),
            ("FRAASS", None, "-18"),
            ("DSP", None, "7"),
            ("PI", "-1.00", "1.00"),
        ],  # fmt: skip
    ),
    (X(908), X(502), None, X(804), _PG("70", "-28")),
]

# The reference users (§9): authors of the demo calculations.
USERS = [
    # (guid, username, first name, last name, group)
    (S(1), "ivanov", "Иван Иванович", "Иванов", GROUP_TECHNOLOGIST),
    (S(2), "petrov", "Петр Петрович", "Петров", GROUP_OBSERVER),
    (S(3), "ilyich", "Илья Ильич", "Ильич", None),
]
