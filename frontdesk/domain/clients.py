"""Rules for a client's record: what a valid name, phone, e-mail and birthday are."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import phonenumbers

from frontdesk.domain.cards import normalize_card_number
from frontdesk.domain.errors import DomainError, FormErrors, ValidationError, words
from frontdesk.domain.text import clean_block, clean_line

EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# Column lengths of db/models/customers.py, in characters of the stored form.
MAX_NAME = 80
MAX_SEARCH_NAME = 161  # case-folded "first last"
MAX_EMAIL = 200
MAX_PHONE_TYPED = 40  # as typed; stored as E.164 (at most 16 characters)
MAX_CARD_TYPED = 40  # as typed; stored normalised (at most 32 characters)
MAX_TOPIC = 60
MAX_PREFERENCE = 200
FIRST_NAME_NEEDED = words("Enter the client's first name.")
PREFERENCE_NEEDED = words("Name the preference (e.g. pressure).")
PREFERRED_NEEDED = words("Say what the client prefers.")
NOT_A_PHONE = words("That is not a phone number.")
NOT_AN_EMAIL = words("That is not an e-mail address (name@example.com).")
FIRST_NAME_TOO_LONG = words(
    "The first name is too long: at most {max_chars} characters, with letters such as ß counted "
    "twice."
)
LAST_NAME_TOO_LONG = words(
    "The last name is too long: at most {max_chars} characters, with letters such as ß counted "
    "twice."
)


@dataclass(frozen=True)
class ClientForm:
    """What the client form submits, as typed."""

    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    birthday: str = ""  # ISO yyyy-mm-dd or empty
    card_number: str = ""
    marketing_consent: bool = False


@dataclass(frozen=True)
class ValidClient:
    """A client record that passed every rule, normalised for storage."""

    first_name: str
    last_name: str
    phone: str | None
    email: str | None
    birthday: date | None
    card_number: str | None
    marketing_consent: bool


def normalize_phone(raw: str, region: str) -> str:
    """E.164 form of a phone number typed in the shop's region; ValidationError when impossible."""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise ValidationError("phone", NOT_A_PHONE) from None
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError("phone", NOT_A_PHONE)
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def folded_length(name: str) -> int:
    """Length of a name as the search index stores it: case-folded ("ß" becomes "ss")."""
    return len(" ".join(name.casefold().split()))


def _check_names(first: str, last: str, errors: dict[str, DomainError]) -> None:
    """The search column holds "first last" case-folded: the stored form must fit it too."""
    if folded_length(first) + 1 + folded_length(last) <= MAX_SEARCH_NAME:
        return
    for field, value, text in (
        ("first_name", first, FIRST_NAME_TOO_LONG),
        ("last_name", last, LAST_NAME_TOO_LONG),
    ):
        if folded_length(value) > MAX_NAME and field not in errors:
            errors[field] = ValidationError(field, text, max_chars=MAX_NAME)


def validate_client(form: ClientForm, region: str, today: date) -> ValidClient:
    """Check every field; raise FormErrors naming each bad field, so nothing partial is saved.

    Lengths are counted in characters of the stored form and match the database's columns.
    """
    errors: dict[str, DomainError] = {}

    def line(field: str, raw: str, label: str, limit: int, required: str | None = None) -> str:
        try:
            return clean_line(raw, field, label, limit, required=required, strict=True)
        except ValidationError as exc:
            errors[field] = exc
            return ""

    first = line("first_name", form.first_name, "The first name", MAX_NAME, FIRST_NAME_NEEDED)
    last = line("last_name", form.last_name, "The last name", MAX_NAME)
    _check_names(first, last, errors)
    phone: str | None = None
    raw_phone = line("phone", form.phone, "The phone number", MAX_PHONE_TYPED)
    if raw_phone:
        try:
            phone = normalize_phone(raw_phone, region)
        except ValidationError as exc:
            errors["phone"] = exc
    email = line("email", form.email, "The e-mail address", MAX_EMAIL) or None
    if email is not None and not EMAIL_PATTERN.fullmatch(email):
        errors["email"] = ValidationError(
            "email", "That is not an e-mail address (name@example.com)."
        )
    birthday: date | None = None
    raw_birthday = line("birthday", form.birthday, "The birthday", len("YYYY-MM-DD"))
    if raw_birthday:
        try:
            birthday = date.fromisoformat(raw_birthday)
        except ValueError:
            errors["birthday"] = ValidationError("birthday", "That is not a date (use YYYY-MM-DD).")
        else:
            if birthday > today:
                errors["birthday"] = ValidationError(
                    "birthday", "A birthday cannot be in the future."
                )
            elif birthday.year < today.year - 120:
                errors["birthday"] = ValidationError(
                    "birthday", "That birthday is more than 120 years ago."
                )
    card: str | None = None
    raw_card = line("card_number", form.card_number, "The card number", MAX_CARD_TYPED)
    if raw_card:
        try:
            card = normalize_card_number(raw_card)
        except ValidationError as exc:
            errors["card_number"] = exc
    if errors:
        raise FormErrors(errors)
    return ValidClient(first, last, phone, email, birthday, card, form.marketing_consent)


def validate_preference(topic: str, value: str) -> tuple[str, str]:
    """A preference as stored (topic 60, value 200 characters): never cut short silently."""
    errors: dict[str, DomainError] = {}
    clean: dict[str, str] = {}
    for field, raw, label, limit, needed in (
        ("topic", topic, "The preference", MAX_TOPIC, PREFERENCE_NEEDED),
        ("value", value, "What the client prefers", MAX_PREFERENCE, PREFERRED_NEEDED),
    ):
        try:
            clean[field] = clean_line(raw, field, label, limit, required=needed)
        except ValidationError as exc:
            errors[field] = exc
    if errors:
        raise FormErrors(errors)
    return clean["topic"], clean["value"]


@lru_cache(maxsize=8192)
def format_phone(e164: str | None, region: str) -> str:
    """A stored E.164 number as people write it: national form at home, international abroad.

    Cached: parsing costs ~0.1 ms a number, and search-as-you-type shows the same rows again.
    """
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    home = parsed.country_code == phonenumbers.country_code_for_region(region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else (phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    return str(phonenumbers.format_number(parsed, style))


# -- the card (issue 9): structured preferences, consent channels, tags -----------------------

#: Preference topics the card edits as fields (Preference.topic holds the code).
PREF_PRESSURE = "pressure"
PREF_TEMPERATURE = "room_temperature"
PREF_MUSIC = "music"
PREF_LIKED = "liked"
PREF_DISLIKED = "disliked"
PREF_AVOID = "avoid_topics"
PREF_NOTES = "notes"
PREFERENCE_TOPICS = (
    PREF_PRESSURE,
    PREF_TEMPERATURE,
    PREF_MUSIC,
    PREF_LIKED,
    PREF_DISLIKED,
    PREF_AVOID,
    PREF_NOTES,
)
PRESSURES = ("light", "medium", "firm", "deep")
TEMPERATURES = ("cooler", "usual", "warmer")
#: How marketing consent was given (Customer.marketing_consent_channel).
CONSENT_CHANNELS = ("sms", "email", "phone", "in_person", "messenger")
MAX_TAG = 40
CHANNEL_NEEDED = words("Say how the client agreed to marketing messages.")
TAG_NEEDED = words("Type a tag.")


@dataclass(frozen=True)
class CardPreferences:
    """The structured preferences, as codes and text ("" for not recorded)."""

    pressure: str = ""  # one of PRESSURES or ""
    preferred_staff_id: int | None = None
    room_temperature: str = ""  # one of TEMPERATURES or ""
    music: str = ""
    liked: str = ""  # oils and products the client likes
    disliked: str = ""
    avoid_topics: str = ""  # topics of conversation to avoid
    notes: str = ""  # anything else, free text

    def texts(self) -> dict[str, str]:
        """Every stored topic's value, by topic code ("" when not recorded)."""
        return {
            PREF_PRESSURE: self.pressure,
            PREF_TEMPERATURE: self.room_temperature,
            PREF_MUSIC: self.music,
            PREF_LIKED: self.liked,
            PREF_DISLIKED: self.disliked,
            PREF_AVOID: self.avoid_topics,
            PREF_NOTES: self.notes,
        }


@dataclass(frozen=True)
class CardEdit:
    """What one Save on the card submits: contact, consent and preferences together."""

    form: ClientForm
    marketing_channel: str = ""
    preferences: CardPreferences = dataclasses.field(default_factory=CardPreferences)
    #: Consent to keep health data; None leaves it as it is (a role that may not change it).
    health_consent: bool | None = None


def _choice(value: str, choices: tuple[str, ...]) -> str:
    """A stored value as one of `choices` when it names one (older free-text rows: "Firm")."""
    folded = value.strip().casefold()
    return folded if folded in choices else value


def topic_code(topic: str) -> str:
    """A stored topic as its code ("Pressure" of an older record is "pressure")."""
    return topic.strip().casefold().replace(" ", "_")


def same_preference(topic: str, old: str, new: str) -> bool:
    """Whether a Save leaves a preference as it was (a listed choice ignores case: "Firm")."""
    if topic in (PREF_PRESSURE, PREF_TEMPERATURE):
        return old.strip().casefold() == new.strip().casefold()
    return old == new


def read_preferences(
    rows: list[tuple[str, str]],
) -> tuple[CardPreferences, tuple[tuple[str, str], ...]]:
    """The structured preferences among stored (topic, value) rows, and the other rows as
    (topic, value) pairs (older databases kept free topics such as "Pressure"): the window
    writes them as its language joins a topic and its value."""
    found: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    for topic, value in rows:
        code = topic_code(topic)
        if code in PREFERENCE_TOPICS and code not in found:
            found[code] = value
        else:
            others.append((topic, value))
    return (
        CardPreferences(
            pressure=_choice(found.get(PREF_PRESSURE, ""), PRESSURES),
            room_temperature=_choice(found.get(PREF_TEMPERATURE, ""), TEMPERATURES),
            music=found.get(PREF_MUSIC, ""),
            liked=found.get(PREF_LIKED, ""),
            disliked=found.get(PREF_DISLIKED, ""),
            avoid_topics=found.get(PREF_AVOID, ""),
            notes=found.get(PREF_NOTES, ""),
        ),
        tuple(others),
    )


def validate_card_preferences(
    prefs: CardPreferences, errors: dict[str, DomainError]
) -> CardPreferences:
    """Clean every preference field; each bad one is added to `errors` under its topic code."""
    clean: dict[str, str] = {}
    # Pressure and temperature are codes from their lists, or an older record's own words.
    for field, raw, label in (
        (PREF_PRESSURE, prefs.pressure, "The pressure"),
        (PREF_TEMPERATURE, prefs.room_temperature, "The room temperature"),
        (PREF_MUSIC, prefs.music, "The music"),
        (PREF_LIKED, prefs.liked, "What the client likes"),
        (PREF_DISLIKED, prefs.disliked, "What the client dislikes"),
        (PREF_AVOID, prefs.avoid_topics, "Topics to avoid"),
    ):
        try:
            clean[field] = clean_line(raw, field, label, MAX_PREFERENCE)
        except ValidationError as exc:
            errors[field] = exc
            clean[field] = ""
    try:
        clean[PREF_NOTES] = clean_block(prefs.notes, PREF_NOTES, "The notes", MAX_PREFERENCE)
    except ValidationError as exc:
        errors[PREF_NOTES] = exc
        clean[PREF_NOTES] = ""
    return CardPreferences(
        pressure=clean[PREF_PRESSURE],
        preferred_staff_id=prefs.preferred_staff_id,
        room_temperature=clean[PREF_TEMPERATURE],
        music=clean[PREF_MUSIC],
        liked=clean[PREF_LIKED],
        disliked=clean[PREF_DISLIKED],
        avoid_topics=clean[PREF_AVOID],
        notes=clean[PREF_NOTES],
    )


@dataclass(frozen=True)
class ValidCardEdit:
    client: ValidClient
    marketing_channel: str
    preferences: CardPreferences


def validate_card_edit(edit: CardEdit, region: str, today: date) -> ValidCardEdit:
    """Every field of one Save checked at once: FormErrors names each bad field."""
    errors: dict[str, DomainError] = {}
    client: ValidClient | None = None
    try:
        client = validate_client(edit.form, region, today)
    except FormErrors as exc:
        errors.update(exc.errors)
    channel = edit.marketing_channel if edit.form.marketing_consent else ""
    if edit.form.marketing_consent and channel not in CONSENT_CHANNELS:
        errors["marketing_channel"] = ValidationError("marketing_channel", CHANNEL_NEEDED)
    prefs = validate_card_preferences(edit.preferences, errors)
    if errors or client is None:
        raise FormErrors(errors)
    return ValidCardEdit(client, channel, prefs)


def validate_tag(raw: str) -> str:
    """A tag as stored (40 characters, one line)."""
    return clean_line(raw, "tag", "The tag", MAX_TAG, required=TAG_NEEDED)


def initials(first_name: str, last_name: str) -> str:
    """One or two letters for the card's round badge ("AS" for Anna Smith, "王" for 王芳)."""
    letters = [part[0] for part in (first_name.strip(), last_name.strip()) if part]
    if not letters:
        return "?"
    if any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in letters):
        return last_name.strip()[:1] or first_name.strip()[:1]
    return "".join(letters).upper()
