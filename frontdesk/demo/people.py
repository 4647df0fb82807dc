"""Demo people: the name pools staff and clients are made from, and the clients with their
preferences and allergies.

Faker is asked once for a few hundred names per locale; clients are then combined from those
pools with `random.Random`, which is fast enough for a million clients and fully reproducible.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from faker import Faker

from frontdesk.demo.catalogue import Catalogue
from frontdesk.demo.writer import Codec
from frontdesk.domain.cards import looks_like_card_number, normalize_card_number
from frontdesk.domain.clients import normalize_phone
from frontdesk.domain.health import SEVERITIES
from frontdesk.domain.search_text import (
    fold_email,
    phone_digits,
    phone_national,
    pinyin_initials,
    search_keys,
)

POOL_SIZE = 300
FEMALE_SHARE = 0.75
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
CARD_PREFIX = "FD-"
CARD_DIGITS = 7


@dataclass(frozen=True)
class NamePools:
    """Names drawn once from Faker, repeats kept so common names stay common."""

    female_first: tuple[str, ...]
    male_first: tuple[str, ...]
    female_last: tuple[str, ...]
    male_last: tuple[str, ...]
    user_names: tuple[str, ...]

    def pick(self, rng: random.Random, female: bool) -> tuple[str, str]:
        if female:
            return rng.choice(self.female_first), rng.choice(self.female_last)
        return rng.choice(self.male_first), rng.choice(self.male_last)


def name_pools(catalogue: Catalogue, seed: int) -> NamePools:
    fake = Faker(catalogue.faker_locale)
    fake.seed_instance(seed)
    return NamePools(
        female_first=tuple(fake.first_name_female() for _ in range(POOL_SIZE)),
        male_first=tuple(fake.first_name_male() for _ in range(POOL_SIZE)),
        female_last=tuple(fake.last_name_female() for _ in range(POOL_SIZE)),
        male_last=tuple(fake.last_name_male() for _ in range(POOL_SIZE)),
        user_names=tuple(
            "".join(ch for ch in fake.user_name().lower() if ch.isascii() and ch.isalnum())
            or "client"
            for _ in range(POOL_SIZE)
        ),
    )


OPEN_SECONDS = (9 * 3600, 20 * 3600)  # clients register and sign forms during opening hours


def creation_offsets(rng: random.Random, count: int, day_starts: list[int]) -> list[int]:
    """When each client joined, seconds after the history starts, ascending by client id.

    `day_starts` are the local midnights of the history's days, in seconds after its start.
    A fifth came from the old card file in the first week; the rest joined evenly since.
    """
    days, draw = len(day_starts), rng.random
    opens, open_for = OPEN_SECONDS[0], OPEN_SECONDS[1] - OPEN_SECONDS[0]
    # int(draw() * n) rather than randrange(n): a third of the time, for a million clients
    offsets = [
        day_starts[int(draw() * (7 if draw() < 0.2 else days))] + opens + int(draw() * open_for)
        for _ in range(count)
    ]
    offsets.sort()
    return offsets


@dataclass
class ClientRows:
    """Rows as tuples, in the column order of `frontdesk.demo.columns`."""

    customers: list[tuple[Any, ...]]
    preferences: list[tuple[Any, ...]]
    allergies: list[tuple[Any, ...]]
    #: 1 for a woman, 0 for a man, client by client: who may book a women's or men's treatment
    women: bytearray


def card_number(serial: int) -> str:
    """The loyalty card with this serial number, as printed and as scanned."""
    return f"{CARD_PREFIX}{serial:0{CARD_DIGITS}d}"


def _check_rules(catalogue: Catalogue) -> None:
    """The domain's rules, checked once for the shapes every client's number takes: phones
    stored as the client form stores them (E.164 in the shop's region), cards as it stores
    and recognises them. Too slow to run a million times, and no need: one shape each."""
    region = catalogue.shop.phone_region
    for prefix in catalogue.phone_prefixes:
        for digit in "09":
            phone = prefix + digit * catalogue.phone_digits
            if normalize_phone(phone, region) != phone:
                raise ValueError(f"{phone} is not how the client form stores a phone number.")
    for serial in (1_000_000, 10**CARD_DIGITS - 1):
        card = card_number(serial)
        if normalize_card_number(card) != card or not looks_like_card_number(card):
            raise ValueError(f"{card} is not how the client form stores a card number.")


class ClientMaker:
    """Builds client rows in stored form, in id order, chunk by chunk."""

    def __init__(
        self,
        catalogue: Catalogue,
        pools: NamePools,
        codec: Codec,
        origin: datetime,
        day_starts: list[int],
        seed: int,
    ) -> None:
        self._cat = catalogue
        self._pools = pools
        self._codec = codec
        self._origin = origin  # naive UTC: when the history starts
        self._day_starts = day_starts
        self._rng = random.Random(f"{seed}:clients")
        self._notes_rng = random.Random(f"{seed}:client-notes")
        self._keys: dict[tuple[str, str], tuple[str, str, str]] = {}
        self._next_card = self._rng.randrange(1_000_000, 2_000_000)
        self._next_preference = 1
        self._next_allergy = 1
        self._birthdays = (date(1950, 1, 1).toordinal(), date(2006, 12, 31).toordinal())
        self._days: dict[int, Any] = {}  # stored form of each birthday, by ordinal
        self._prefixes = catalogue.phone_prefixes
        self._prefix_digits = {prefix: phone_digits(prefix) for prefix in self._prefixes}
        # phone_national(prefix + number): the prefix's digits after its country code
        region = catalogue.shop.phone_region
        sample = "0" * catalogue.phone_digits
        self._prefix_national = {
            prefix: phone_national(prefix + sample, region)[: -catalogue.phone_digits]
            for prefix in self._prefixes
        }
        self._numbers = 10**catalogue.phone_digits
        _check_rules(catalogue)

    def chunks(self, offsets: list[int], chunk: int) -> Iterator[ClientRows]:
        for start in range(0, len(offsets), chunk):
            rows = ClientRows([], [], [], bytearray())
            for index in range(start, min(start + chunk, len(offsets))):
                self._client(rows, index + 1, offsets[index])
            yield rows

    # The two methods below run a million times for the largest demo: they draw with
    # `random()` and index the pools directly, which is several times faster than `choice`.

    def _client(self, rows: ClientRows, client_id: int, offset: int) -> None:
        draw, cat, codec, pools = self._rng.random, self._cat, self._codec, self._pools
        woman = draw() < FEMALE_SHARE
        rows.women.append(woman)
        if woman:
            firsts, lasts = pools.female_first, pools.female_last
        else:
            firsts, lasts = pools.male_first, pools.male_last
        first = firsts[int(draw() * len(firsts))]
        last = lasts[int(draw() * len(lasts))]
        keys = self._keys.get((first, last))
        if keys is None:
            keys = self._keys[(first, last)] = (
                *search_keys(first, last),
                pinyin_initials(first, last),
            )
        phone = digits = national = None
        if draw() < 0.96:
            prefix = self._prefixes[int(draw() * len(self._prefixes))]
            number = f"{int(draw() * self._numbers):0{cat.phone_digits}d}"
            phone = prefix + number
            # phone_digits(prefix + number): the number is all digits already
            digits = self._prefix_digits[prefix] + number
            national = self._prefix_national[prefix] + number
        email = None
        if draw() < 0.45:
            user = pools.user_names[int(draw() * len(pools.user_names))]
            domain = EMAIL_DOMAINS[int(draw() * len(EMAIL_DOMAINS))]
            email = f"{user}{int(draw() * 100)}@{domain}"
        birthday = None
        if draw() < 0.7:
            low, high = self._birthdays
            ordinal = low + int(draw() * (high - low))
            birthday = self._days.get(ordinal)
            if birthday is None:
                birthday = self._days[ordinal] = codec.day(date.fromordinal(ordinal))
        card = None
        if draw() < 0.6 and self._next_card < 10**CARD_DIGITS:
            card = card_number(self._next_card)
            self._next_card += 1
        consent_at = None
        if draw() < 0.4:
            # most sign up at the desk; some later, from a newsletter link
            later = offset + int(draw() * 600) if draw() < 0.75 else self._later(draw, offset)
            consent_at = codec.instant(self._origin + timedelta(seconds=later))
        rows.customers.append(
            (
                client_id,
                first,
                last,
                keys[0],
                keys[1],
                phone,
                digits or "",
                email,
                birthday,
                card,
                codec.true if consent_at else codec.false,
                consent_at,
                codec.instant(self._origin + timedelta(seconds=offset)),
                keys[2],
                fold_email(email),
                national or "",
            )
        )
        self._notes(rows, client_id, offset)

    def _notes(self, rows: ClientRows, client_id: int, offset: int) -> None:
        draw, cat = self._notes_rng.random, self._cat
        if draw() < 0.6:
            topics = cat.preferences
            wanted = (1, 1, 2, 3)[int(draw() * 4)]
            chosen: list[int] = []
            while len(chosen) < wanted:
                topic_index = int(draw() * len(topics))
                if topic_index not in chosen:
                    chosen.append(topic_index)
            for topic_index in chosen:
                topic, values = topics[topic_index]
                value = values[int(draw() * len(values))]
                rows.preferences.append((self._next_preference, client_id, topic, value))
                self._next_preference += 1
        if draw() < 0.15:
            substances = cat.allergies
            first = int(draw() * len(substances))
            picked = [first]
            if draw() < 0.25:
                picked.append((first + 1 + int(draw() * (len(substances) - 1))) % len(substances))
            for substance_index in picked:
                severity = draw()
                later = self._later(draw, offset)
                rows.allergies.append(
                    (
                        self._next_allergy,
                        client_id,
                        substances[substance_index],
                        SEVERITIES[0 if severity < 0.5 else 1 if severity < 0.85 else 2],
                        cat.allergy_notes[int(draw() * len(cat.allergy_notes))],
                        self._codec.instant(self._origin + timedelta(seconds=later)),
                    )
                )
                self._next_allergy += 1

    def _later(self, draw: Callable[[], float], offset: int) -> int:
        """A moment in opening hours after `offset` and before today."""
        starts = self._day_starts
        first_day = bisect_right(starts, offset) - 1
        day = first_day + int(draw() * (len(starts) - first_day))
        open_from, open_until = OPEN_SECONDS
        return max(offset + 60, starts[day] + open_from + int(draw() * (open_until - open_from)))
