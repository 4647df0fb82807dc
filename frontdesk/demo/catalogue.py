"""What a demo shop is made of, per language: its identity, rooms, menu, shelf and client notes.

The texts themselves live in one module per locale (`locale_en`, `locale_zh`, `locale_ru`);
this module declares their shape and finds the right one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RoomKind(StrEnum):
    """Where a treatment can take place."""

    TREATMENT = "treatment"
    COUPLES = "couples"
    NAILS = "nails"
    THERMAL = "thermal"


#: Rooms a service of each kind may use, in order of preference.
ROOMS_FOR: dict[RoomKind, tuple[RoomKind, ...]] = {
    RoomKind.TREATMENT: (RoomKind.TREATMENT, RoomKind.COUPLES),
    RoomKind.COUPLES: (RoomKind.COUPLES,),
    RoomKind.NAILS: (RoomKind.NAILS, RoomKind.TREATMENT),
    RoomKind.THERMAL: (RoomKind.THERMAL,),
}


#: A room kind as the shop writes it, by the shop's language (as the starter menus write them).
KIND_WORDS: dict[str, dict[RoomKind, str]] = {
    "en": {
        RoomKind.TREATMENT: "treatment",
        RoomKind.COUPLES: "couples",
        RoomKind.NAILS: "nail station",
        RoomKind.THERMAL: "sauna",
    },
    "zh": {
        RoomKind.TREATMENT: "理疗室",
        RoomKind.COUPLES: "双人间",
        RoomKind.NAILS: "美甲台",
        RoomKind.THERMAL: "桑拿房",
    },
    "ru": {
        RoomKind.TREATMENT: "кабинет",
        RoomKind.COUPLES: "двойной кабинет",
        RoomKind.NAILS: "маникюрный стол",
        RoomKind.THERMAL: "сауна",
    },
}


def kind_word(kind: RoomKind, shop_locale: str) -> str:
    """`kind` in the words of a shop whose locale is `shop_locale` (English otherwise)."""
    words = KIND_WORDS.get(shop_locale.split("_", maxsplit=1)[0], KIND_WORDS["en"])
    return words[kind]


#: Who a treatment is for, when not for everyone.
WOMEN, MEN = "women", "men"


@dataclass(frozen=True)
class ShopSpec:
    name: str
    address: str
    phone: str
    tax_id: str
    currency: str
    locale: str
    timezone: str
    phone_region: str
    receipt_footer: str
    tax_rate_bp: int


@dataclass(frozen=True)
class ServiceSpec:
    """A treatment: minutes, cleanup minutes, tax-inclusive price in major units, room kind,
    and whether it is only for women or only for men."""

    name: str
    minutes: int
    buffer: int
    price: int
    room: RoomKind = RoomKind.TREATMENT
    client: str = ""


@dataclass(frozen=True)
class CategorySpec:
    name: str
    weight: int  # how often its services are booked, relative to the other categories
    services: tuple[ServiceSpec, ...]


@dataclass(frozen=True)
class ProductSpec:
    """A retail product: SKU prefix, name, tax-inclusive price in minor units."""

    sku_prefix: str
    name: str
    price_minor: int


@dataclass(frozen=True)
class RoomSpec:
    name: str
    kind: RoomKind
    capacity: int = 1


@dataclass(frozen=True)
class Catalogue:
    """Everything written in one language for one demo shop."""

    faker_locale: str
    shop: ShopSpec
    #: Mobile numbers: E.164 prefixes and how many random digits follow one.
    phone_prefixes: tuple[str, ...]
    phone_digits: int
    #: GS1 prefix of the country, for EAN-13 barcodes.
    ean_prefix: str
    #: Banknotes a cash client hands over, in minor units (change is given from them).
    banknotes_minor: tuple[int, ...]
    rooms: tuple[RoomSpec, ...]
    #: The rooms a bigger shop adds, four for every eight more therapists, in that order.
    more_rooms: tuple[RoomSpec, ...]
    resources: tuple[tuple[str, int], ...]
    categories: tuple[CategorySpec, ...]
    products: tuple[ProductSpec, ...]
    preferences: tuple[tuple[str, tuple[str, ...]], ...]
    allergies: tuple[str, ...]
    allergy_notes: tuple[str, ...]
    appointment_notes: tuple[str, ...]


LOCALES = ("en", "zh", "ru")


def catalogue_for(locale: str) -> Catalogue:
    """The catalogue of a demo locale; ValueError for one there is none of."""
    if locale == "en":
        from frontdesk.demo.locale_en import CATALOGUE
    elif locale == "zh":
        from frontdesk.demo.locale_zh import CATALOGUE
    elif locale == "ru":
        from frontdesk.demo.locale_ru import CATALOGUE
    else:
        known = ", ".join(LOCALES)
        raise ValueError(f"Unknown demo locale “{locale}”: choose one of {known}.")
    return CATALOGUE
