"""Starter menus: a ready menu and rooms for a new massage studio, hair salon, beauty spa or
bathhouse, in the shop's language (English, Simplified Chinese, Russian) and currency.

Pure data and one function, `starter_menu(kind, locale, currency)`. Prices are set per currency
for GBP, EUR, USD, CNY and RUB (what such a treatment costs there, in round amounts); any other
currency gets the euro price converted at an approximate rate and rounded to two significant
figures. The shop edits everything afterwards: this is a start, not a price list to keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import NamedTuple

from frontdesk.domain.money import minor_digits


class ShopKind(StrEnum):
    """The kinds of shop a starter menu exists for."""

    MASSAGE = "massage"
    HAIR = "hair"
    BEAUTY = "beauty"
    BATHHOUSE = "bathhouse"


#: The languages the menus are written in.
LANGUAGES = ("en", "zh_CN", "ru")


class Words(NamedTuple):
    """One text in each language."""

    en: str
    zh: str
    ru: str

    def in_language(self, language: str) -> str:
        return {"zh_CN": self.zh, "ru": self.ru}.get(language, self.en)


@dataclass(frozen=True)
class StarterService:
    """A service of a starter menu, ready for the catalogue (prices tax-inclusive, minor units)."""

    category: str
    name: str
    duration_minutes: int
    buffer_minutes: int
    price_minor: int
    room_kind: str | None
    capacity_used: int = 1
    ingredients: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()
    sort_order: int = 0


@dataclass(frozen=True)
class StarterRoom:
    name: str
    kind: str
    capacity: int


@dataclass(frozen=True)
class StarterMenu:
    kind: ShopKind
    language: str
    currency: str
    categories: tuple[str, ...]
    services: tuple[StarterService, ...]
    rooms: tuple[StarterRoom, ...]


# --- what the menus are made of --------------------------------------------------------------


class _Price(NamedTuple):
    """Tax-inclusive prices in whole units: euro, pound, dollar, yuan, rouble."""

    eur: int
    gbp: int
    usd: int
    cny: int
    rub: int


@dataclass(frozen=True)
class _Service:
    category: Words
    name: Words
    minutes: int
    buffer: int
    price: _Price
    room: Words | None
    capacity: int = 1
    ingredients: tuple[Words, ...] = ()
    contraindications: tuple[Words, ...] = ()


@dataclass(frozen=True)
class _Room:
    name: Words
    kind: Words
    capacity: int


# Room kinds: services name the kind, any room of that kind may be used.
TREATMENT = Words("treatment", "理疗室", "кабинет")
COUPLES = Words("couples", "双人间", "двойной кабинет")
SAUNA = Words("sauna", "桑拿房", "сауна")
STEAM = Words("steam room", "蒸汽房", "хаммам")
CHAIR = Words("styling chair", "剪发位", "кресло мастера")
NAILS = Words("nail station", "美甲台", "маникюрный стол")

# Tags: ingredients (matched against a client's allergies) and contraindications.
NUT_OILS = Words("nut oils", "坚果油", "ореховые масла")
ESSENTIAL_OILS = Words("essential oils", "精油", "эфирные масла")
PREGNANCY = Words("pregnancy", "怀孕", "беременность")
HEART = Words("heart condition", "心脏病", "болезни сердца")
BLOOD_PRESSURE = Words("high blood pressure", "高血压", "повышенное давление")
VARICOSE = Words("varicose veins", "静脉曲张", "варикоз")
RECENT_SURGERY = Words("recent surgery", "近期手术", "недавняя операция")
BROKEN_SKIN = Words("broken skin", "皮肤破损", "повреждения кожи")
PPD = Words("ppd", "对苯二胺", "парафенилендиамин")
AMMONIA = Words("ammonia", "氨水", "аммиак")
PEROXIDE = Words("hydrogen peroxide", "过氧化氢", "перекись водорода")
FORMALDEHYDE = Words("formaldehyde", "甲醛", "формальдегид")
SENSITIVE_SCALP = Words("sensitive scalp", "头皮敏感", "чувствительная кожа головы")
RETINOL = Words("retinol", "视黄醇", "ретинол")
ACRYLATES = Words("acrylates", "丙烯酸酯", "акрилаты")
SEAWEED = Words("seaweed", "海藻", "водоросли")
SEA_SALT = Words("sea salt", "海盐", "морская соль")
ROSIN = Words("rosin", "松香", "канифоль")
SUNBURN = Words("sunburn", "晒伤", "солнечный ожог")
HONEY = Words("honey", "蜂蜜", "мёд")
BIRCH = Words("birch", "桦树", "берёза")


def _room(en: str, zh: str, ru: str, kind: Words, capacity: int = 1) -> _Room:
    return _Room(Words(en, zh, ru), kind, capacity)


# -- a massage studio
_MASSAGE = Words("Massage", "按摩", "Массаж")
_SPECIALTY = Words("Specialty massage", "特色按摩", "Авторский массаж")
_FOR_TWO = Words("For two", "双人护理", "Для двоих")

_MASSAGE_MENU = (
    _Service(
        _MASSAGE,
        Words("Classic massage, 60 min", "经典按摩 60分钟", "Классический массаж, 60 мин"),
        60,
        15,
        _Price(65, 55, 75, 298, 3500),
        TREATMENT,
    ),
    _Service(
        _MASSAGE,
        Words("Classic massage, 90 min", "经典按摩 90分钟", "Классический массаж, 90 мин"),
        90,
        15,
        _Price(90, 75, 105, 428, 5000),
        TREATMENT,
    ),
    _Service(
        _MASSAGE,
        Words(
            "Back, neck and shoulders, 30 min", "肩颈背部按摩 30分钟", "Массаж спины и шеи, 30 мин"
        ),
        30,
        10,
        _Price(38, 32, 45, 168, 2000),
        TREATMENT,
    ),
    _Service(
        _MASSAGE,
        Words("Foot reflexology, 45 min", "足底反射疗法 45分钟", "Рефлексотерапия стоп, 45 мин"),
        45,
        10,
        _Price(48, 40, 55, 198, 2500),
        TREATMENT,
    ),
    _Service(
        _SPECIALTY,
        Words(
            "Deep tissue massage, 60 min", "深层组织按摩 60分钟", "Глубокий массаж тканей, 60 мин"
        ),
        60,
        15,
        _Price(75, 65, 85, 358, 4000),
        TREATMENT,
        contraindications=(RECENT_SURGERY, VARICOSE),
    ),
    _Service(
        _SPECIALTY,
        Words("Aromatherapy massage, 60 min", "芳香精油按摩 60分钟", "Аромамассаж, 60 мин"),
        60,
        15,
        _Price(75, 65, 85, 368, 4200),
        TREATMENT,
        ingredients=(NUT_OILS, ESSENTIAL_OILS),
        contraindications=(PREGNANCY,),
    ),
    _Service(
        _SPECIALTY,
        Words("Hot stone massage, 75 min", "热石按摩 75分钟", "Стоун-терапия, 75 мин"),
        75,
        20,
        _Price(95, 80, 110, 468, 5500),
        TREATMENT,
        contraindications=(PREGNANCY, VARICOSE, HEART),
    ),
    _Service(
        _SPECIALTY,
        Words("Pregnancy massage, 60 min", "孕期按摩 60分钟", "Массаж для беременных, 60 мин"),
        60,
        15,
        _Price(70, 60, 80, 328, 3800),
        TREATMENT,
    ),
    _Service(
        _FOR_TWO,
        Words("Couples massage, 60 min", "双人按摩 60分钟", "Массаж для двоих, 60 мин"),
        60,
        15,
        _Price(140, 120, 160, 598, 7500),
        COUPLES,
        capacity=2,
        ingredients=(NUT_OILS,),
    ),
)
_MASSAGE_ROOMS = (
    _room("Treatment room 1", "理疗室1", "Кабинет 1", TREATMENT),
    _room("Treatment room 2", "理疗室2", "Кабинет 2", TREATMENT),
    _room("Couples room", "双人理疗室", "Кабинет для двоих", COUPLES, 2),
)

# -- a hair salon
_CUTS = Words("Cuts", "剪发", "Стрижки")
_COLOUR = Words("Colour", "染发", "Окрашивание")
_STYLING = Words("Styling and care", "造型与护理", "Укладка и уход")

_HAIR_MENU = (
    _Service(
        _CUTS,
        Words("Women's cut and blow-dry", "女士剪发吹造型", "Женская стрижка с укладкой"),
        60,
        0,
        _Price(55, 48, 65, 198, 2500),
        CHAIR,
    ),
    _Service(
        _CUTS,
        Words("Men's cut", "男士剪发", "Мужская стрижка"),
        30,
        0,
        _Price(28, 24, 35, 88, 1200),
        CHAIR,
    ),
    _Service(
        _CUTS,
        Words("Children's cut", "儿童剪发", "Детская стрижка"),
        30,
        0,
        _Price(18, 16, 22, 58, 800),
        CHAIR,
    ),
    _Service(
        _COLOUR,
        Words("Root colour", "补染发根", "Окрашивание корней"),
        90,
        15,
        _Price(65, 55, 75, 298, 3500),
        CHAIR,
        ingredients=(PPD, AMMONIA),
        contraindications=(SENSITIVE_SCALP,),
    ),
    _Service(
        _COLOUR,
        Words("Full head highlights", "全头挑染", "Мелирование"),
        120,
        15,
        _Price(110, 95, 130, 598, 6000),
        CHAIR,
        ingredients=(AMMONIA, PEROXIDE),
        contraindications=(SENSITIVE_SCALP,),
    ),
    _Service(
        _STYLING,
        Words("Blow-dry", "吹发造型", "Укладка феном"),
        45,
        0,
        _Price(32, 28, 40, 98, 1500),
        CHAIR,
    ),
    _Service(
        _STYLING,
        Words("Occasion styling", "宴会造型", "Вечерняя причёска"),
        60,
        0,
        _Price(60, 50, 70, 268, 3000),
        CHAIR,
    ),
    _Service(
        _STYLING,
        Words("Keratin smoothing", "角蛋白顺直护理", "Кератиновое выпрямление"),
        150,
        15,
        _Price(150, 130, 180, 880, 8000),
        CHAIR,
        ingredients=(FORMALDEHYDE,),
        contraindications=(PREGNANCY,),
    ),
)
_HAIR_ROOMS = (
    _room("Chair 1", "1号位", "Кресло 1", CHAIR),
    _room("Chair 2", "2号位", "Кресло 2", CHAIR),
    _room("Chair 3", "3号位", "Кресло 3", CHAIR),
)

# -- a beauty spa
_FACIALS = Words("Facials", "面部护理", "Уход за лицом")
_NAIL_CARE = Words("Nails", "美甲", "Ногтевой сервис")
_BODY = Words("Body", "身体护理", "Уход за телом")
_HAIR_REMOVAL = Words("Brows and waxing", "修眉与脱毛", "Брови и депиляция")

_BEAUTY_MENU = (
    _Service(
        _FACIALS,
        Words("Classic facial", "经典面部护理", "Классический уход за лицом"),
        60,
        15,
        _Price(65, 55, 75, 298, 3500),
        TREATMENT,
    ),
    _Service(
        _FACIALS,
        Words("Anti-ageing facial", "抗衰老面部护理", "Омолаживающий уход"),
        75,
        15,
        _Price(95, 80, 110, 498, 5500),
        TREATMENT,
        ingredients=(RETINOL,),
        contraindications=(PREGNANCY,),
    ),
    _Service(
        _NAIL_CARE,
        Words("Manicure", "基础美甲", "Маникюр"),
        45,
        10,
        _Price(30, 26, 35, 128, 1500),
        NAILS,
    ),
    _Service(
        _NAIL_CARE,
        Words("Gel manicure", "光疗美甲", "Маникюр с покрытием гель-лак"),
        60,
        10,
        _Price(42, 36, 50, 198, 2500),
        NAILS,
        ingredients=(ACRYLATES,),
    ),
    _Service(
        _NAIL_CARE,
        Words("Pedicure", "足部护理", "Педикюр"),
        60,
        10,
        _Price(45, 40, 55, 198, 2800),
        NAILS,
    ),
    _Service(
        _BODY,
        Words(
            "Sea salt scrub and seaweed wrap", "海盐磨砂海藻裹敷", "Солевой пилинг и обёртывание"
        ),
        60,
        20,
        _Price(80, 70, 95, 398, 4500),
        TREATMENT,
        ingredients=(SEA_SALT, SEAWEED),
        contraindications=(BROKEN_SKIN, PREGNANCY),
    ),
    _Service(
        _BODY,
        Words("Spa ritual for two, 90 min", "双人水疗仪式 90分钟", "Спа-ритуал для двоих, 90 мин"),
        90,
        20,
        _Price(190, 160, 220, 988, 11000),
        COUPLES,
        capacity=2,
        ingredients=(NUT_OILS, ESSENTIAL_OILS),
        contraindications=(PREGNANCY,),
    ),
    _Service(
        _HAIR_REMOVAL,
        Words("Eyebrow shaping", "修眉", "Коррекция бровей"),
        20,
        5,
        _Price(18, 15, 22, 68, 800),
        TREATMENT,
    ),
    _Service(
        _HAIR_REMOVAL,
        Words("Half leg wax", "半腿蜜蜡脱毛", "Восковая депиляция голеней"),
        30,
        10,
        _Price(30, 26, 35, 158, 1800),
        TREATMENT,
        ingredients=(ROSIN,),
        contraindications=(SUNBURN, VARICOSE),
    ),
)
_BEAUTY_ROOMS = (
    _room("Treatment room 1", "护理室1", "Кабинет 1", TREATMENT),
    _room("Treatment room 2", "护理室2", "Кабинет 2", TREATMENT),
    _room("Nail station", "美甲台", "Маникюрный стол", NAILS),
    _room("Couples suite", "双人套间", "Кабинет для двоих", COUPLES, 2),
)

# -- a bathhouse
_BATHING = Words("Sauna and steam", "桑拿与蒸汽浴", "Парение")
_RITUALS = Words("Bath rituals", "浴疗项目", "Банные процедуры")
_BATH_MASSAGE = Words("Massage", "按摩", "Массаж")

_BATHHOUSE_MENU = (
    _Service(
        _BATHING,
        Words("Sauna, 2 hours (one place)", "桑拿 2小时（单人）", "Сауна, 2 часа (одно место)"),
        120,
        0,
        _Price(25, 22, 30, 128, 1500),
        SAUNA,
        contraindications=(HEART, BLOOD_PRESSURE, PREGNANCY),
    ),
    _Service(
        _BATHING,
        Words(
            "Private sauna for up to 6, 2 hours",
            "包场桑拿（最多6人）2小时",
            "Сауна целиком до 6 человек, 2 часа",
        ),
        120,
        30,
        _Price(150, 130, 170, 768, 9000),
        SAUNA,
        capacity=6,
        contraindications=(HEART, BLOOD_PRESSURE, PREGNANCY),
    ),
    _Service(
        _BATHING,
        Words(
            "Steam room, 90 min (one place)", "蒸汽浴 90分钟（单人）", "Хаммам, 90 мин (одно место)"
        ),
        90,
        0,
        _Price(22, 19, 25, 98, 1200),
        STEAM,
        contraindications=(HEART, PREGNANCY),
    ),
    _Service(
        _RITUALS,
        Words("Birch besom ritual", "桦树枝拍打浴", "Парение берёзовым веником"),
        30,
        10,
        _Price(35, 30, 40, 168, 2000),
        SAUNA,
        ingredients=(BIRCH,),
        contraindications=(HEART, BLOOD_PRESSURE),
    ),
    _Service(
        _RITUALS,
        Words("Salt scrub", "海盐去角质", "Солевой пилинг"),
        30,
        10,
        _Price(30, 26, 35, 138, 1500),
        STEAM,
        ingredients=(SEA_SALT,),
        contraindications=(BROKEN_SKIN,),
    ),
    _Service(
        _RITUALS,
        Words("Honey body wrap", "蜂蜜身体裹敷", "Медовое обёртывание"),
        45,
        15,
        _Price(45, 40, 50, 218, 2500),
        TREATMENT,
        ingredients=(HONEY,),
        contraindications=(BROKEN_SKIN,),
    ),
    _Service(
        _BATH_MASSAGE,
        Words("Classic massage, 60 min", "经典按摩 60分钟", "Классический массаж, 60 мин"),
        60,
        15,
        _Price(60, 50, 70, 268, 3000),
        TREATMENT,
    ),
    _Service(
        _BATH_MASSAGE,
        Words("Foot massage, 30 min", "足部按摩 30分钟", "Массаж стоп, 30 мин"),
        30,
        10,
        _Price(30, 26, 35, 128, 1500),
        TREATMENT,
    ),
)
_BATHHOUSE_ROOMS = (
    _room("Sauna", "桑拿房", "Сауна", SAUNA, 6),
    _room("Steam room", "蒸汽房", "Хаммам", STEAM, 4),
    _room("Treatment room 1", "理疗室1", "Кабинет 1", TREATMENT),
    _room("Treatment room 2", "理疗室2", "Кабинет 2", TREATMENT),
)

_MENUS: dict[ShopKind, tuple[tuple[_Service, ...], tuple[_Room, ...]]] = {
    ShopKind.MASSAGE: (_MASSAGE_MENU, _MASSAGE_ROOMS),
    ShopKind.HAIR: (_HAIR_MENU, _HAIR_ROOMS),
    ShopKind.BEAUTY: (_BEAUTY_MENU, _BEAUTY_ROOMS),
    ShopKind.BATHHOUSE: (_BATHHOUSE_MENU, _BATHHOUSE_ROOMS),
}

#: Roughly how many units of a currency a euro buys, for currencies without their own prices.
EURO_RATES: dict[str, Decimal] = {
    code: Decimal(rate)
    for code, rate in {
        "AED": "4",
        "AUD": "1.65",
        "BGN": "1.96",
        "BRL": "6",
        "BYN": "3.5",
        "CAD": "1.5",
        "CHF": "0.95",
        "CZK": "25",
        "DKK": "7.5",
        "GEL": "3",
        "HKD": "8.5",
        "HUF": "390",
        "IDR": "17000",
        "ILS": "4",
        "INR": "90",
        "JPY": "160",
        "KRW": "1450",
        "KZT": "520",
        "MOP": "8.7",
        "MYR": "5",
        "NOK": "11.5",
        "NZD": "1.8",
        "PHP": "62",
        "PLN": "4.3",
        "RON": "5",
        "RSD": "117",
        "SAR": "4",
        "SEK": "11.5",
        "SGD": "1.45",
        "THB": "38",
        "TRY": "35",
        "TWD": "35",
        "UAH": "45",
        "UZS": "13500",
        "VND": "27000",
        "ZAR": "20",
    }.items()
}


def menu_language(locale: str) -> str:
    """The starter menu's language for a shop locale: zh_* Chinese, ru_* Russian, else English."""
    head = locale.replace("-", "_").split("_", maxsplit=1)[0].lower()
    return {"zh": "zh_CN", "ru": "ru"}.get(head, "en")


def _two_figures(amount: Decimal) -> Decimal:
    """`amount` rounded to two significant figures (10,400 -> 10,000; 71.5 -> 72)."""
    if amount <= 0:
        return Decimal(0)
    step = Decimal(10) ** max(amount.adjusted() - 1, 0)
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def price_in(price: _Price, currency: str) -> int:
    """A starter price in `currency`'s minor units."""
    code = currency.upper()
    own = {"EUR": price.eur, "GBP": price.gbp, "USD": price.usd, "CNY": price.cny, "RUB": price.rub}
    if code in own:
        units = Decimal(own[code])
    else:
        units = _two_figures(Decimal(price.eur) * EURO_RATES.get(code, Decimal(1)))
    return int(units * 10 ** minor_digits(code))


def starter_menu(kind: ShopKind, locale: str, currency: str) -> StarterMenu:
    """The starter menu and rooms for a shop of `kind`, in the language of `locale`, priced in
    `currency`."""
    language = menu_language(locale)
    services, rooms = _MENUS[ShopKind(kind)]

    def say(words: Words) -> str:
        return words.in_language(language)

    categories: list[str] = []
    for service in services:
        if say(service.category) not in categories:
            categories.append(say(service.category))
    return StarterMenu(
        kind=ShopKind(kind),
        language=language,
        currency=currency.upper(),
        categories=tuple(categories),
        services=tuple(
            StarterService(
                category=say(s.category),
                name=say(s.name),
                duration_minutes=s.minutes,
                buffer_minutes=s.buffer,
                price_minor=price_in(s.price, currency),
                room_kind=say(s.room) if s.room is not None else None,
                capacity_used=s.capacity,
                ingredients=tuple(say(t) for t in s.ingredients),
                contraindications=tuple(say(t) for t in s.contraindications),
                sort_order=(index + 1) * 10,
            )
            for index, s in enumerate(services)
        ),
        rooms=tuple(StarterRoom(say(r.name), say(r.kind), r.capacity) for r in rooms),
    )
