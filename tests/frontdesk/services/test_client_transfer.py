"""Clients in and out: a messy CSV imported all or nothing, re-imports update, export, one
client's data as JSON, erasure; duplicates offered and two records merged."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from db.models import Allergy, AuditEntry, Customer, Preference, Sale
from frontdesk.domain.client_file import ClientColumn, ClientFileError, guess_mapping
from frontdesk.domain.clients import CardPreferences, ClientForm, read_preferences
from frontdesk.domain.errors import DomainError
from frontdesk.services.auth import AuthService, NotPermitted, SignedIn
from frontdesk.services.client_health import ClientHealthService
from frontdesk.services.client_merge import ClientMergeService, customer_references
from frontdesk.services.client_transfer import ClientTransferService, ImportRefused
from frontdesk.services.clock import FixedClock
from frontdesk.services.health_vault import HealthVault, open_vault
from frontdesk.services.shop import ShopService
from frontdesk.services.treatment_notes import TreatmentNoteService
from frontdesk.services.unit_of_work import UnitOfWork
from tests.seed import PIN, SeededShop


@pytest.fixture
def vault(database: UnitOfWork, shop: SeededShop) -> HealthVault:
    return open_vault(None, database)


@pytest.fixture
def transfer(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> ClientTransferService:
    return ClientTransferService(database, clock, ShopService(database, clock), vault)


@pytest.fixture
def merger(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> ClientMergeService:
    return ClientMergeService(database, clock, ShopService(database, clock), vault)


@pytest.fixture
def health(database: UnitOfWork, clock: FixedClock, vault: HealthVault) -> ClientHealthService:
    return ClientHealthService(database, clock, ShopService(database, clock), vault)


@pytest.fixture
def owner(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.owner_id, PIN)


@pytest.fixture
def desk(database: UnitOfWork, clock: FixedClock, shop: SeededShop) -> SignedIn:
    return AuthService(database, clock).sign_in(shop.receptionist_id, PIN)


GOOD = (
    "Name;Phone;E-mail;Birthday;Card number;Visits;Health consent;Allergies;Preferences;Notes\n"
    "Jane Doe;07700 900456;jane@example.com;15.03.1985;FD-0000100;12;yes;latex, nuts;"
    "pressure: firm;Likes tea\n"
    "Мария Петрова;+7 (916) 765-43-21;;1990-01-02;;3;;;;\n"
    "王 小明;+86 138 0013 8111;xm@example.cn;1992年5月6日;;;;;music: 无;\n"
)

MESSY = (
    "Client,Tel,Birthday,Allergies,Health consent\n"
    "Jane Doe,07700 900456,1985-03-15,latex,yes\n"  # fine
    "Bad Birthday,07700 900457,31.02.1990,,\n"  # no 31 February
    'Twice Allergic,07700 900458,,"nuts, Nuts",yes\n'  # the same allergy twice
    "No Consent,07700 900459,,latex,\n"  # allergies without consent
    "Wrong Phone,12,,,\n"  # not a phone
)


def _count(database: UnitOfWork) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count(Customer.id))) or 0)


def test_header_words_in_three_languages_are_guessed() -> None:
    assert guess_mapping(["Имя", "Фамилия", "Телефон", "Дата рождения", "Номер карты"]) == (
        ClientColumn.FIRST_NAME,
        ClientColumn.LAST_NAME,
        ClientColumn.PHONE,
        ClientColumn.BIRTHDAY,
        ClientColumn.CARD,
    )
    assert guess_mapping(["姓名", "手机", "生日", "过敏", "备注", "whatever"]) == (
        ClientColumn.NAME,
        ClientColumn.PHONE,
        ClientColumn.BIRTHDAY,
        ClientColumn.ALLERGIES,
        ClientColumn.NOTES,
        None,
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "cp1251"])
def test_a_file_in_any_of_four_encodings_imports(
    transfer: ClientTransferService,
    health: ClientHealthService,
    database: UnitOfWork,
    owner: SignedIn,
    encoding: str,
) -> None:
    text = GOOD
    if encoding == "gb18030":
        text = "\n".join(line for line in GOOD.splitlines() if "Мария" not in line) + "\n"
    if encoding == "cp1251":
        text = "\n".join(line for line in GOOD.splitlines() if "王" not in line) + "\n"
    data = text.encode(encoding)
    before = _count(database)
    preview = transfer.preview_import(data, owner)
    assert preview.errors == ()
    expected = text.count("\n") - 1
    assert (preview.new, preview.updated) == (expected, 0)
    assert preview.encoding == ("utf-8" if encoding.startswith("utf") else encoding)
    result = transfer.import_clients(data, None, owner)
    assert (result.added, result.updated) == (expected, 0)
    assert _count(database) == before + expected
    with database.read() as session:
        jane = session.scalars(select(Customer).where(Customer.email == "jane@example.com")).one()
        assert (jane.first_name, jane.last_name, jane.phone) == ("Jane", "Doe", "+447700900456")
        assert jane.birthday is not None
        assert jane.birthday.isoformat() == "1985-03-15"
        assert jane.card_number == "FD-0000100"
        assert jane.imported_visits == 12
        assert jane.health_consent
        prefs = {(p.topic, p.value) for p in jane.preferences}
        assert prefs == {("pressure", "firm"), ("notes", "Likes tea")}
        jane_id = jane.id
    substances = {e.substance.casefold() for e in health.health(jane_id, owner).entries}
    assert len(substances) == 2
    assert "latex" in substances
    with database.read() as session:  # sealed, never plain
        rows = session.scalars(select(Allergy).where(Allergy.customer_id == jane_id)).all()
        assert all(r.substance == "" and r.substance_sealed for r in rows)


def test_a_reimport_updates_rather_than_duplicates(
    transfer: ClientTransferService, database: UnitOfWork, owner: SignedIn
) -> None:
    data = GOOD.encode()
    transfer.import_clients(data, None, owner)
    count = _count(database)
    changed = GOOD.replace(";12;", ";14;").replace("Jane Doe", "Jane Doe-Smith")
    preview = transfer.preview_import(changed.encode(), owner)
    assert (preview.new, preview.updated) == (0, 3)
    result = transfer.import_clients(changed.encode(), None, owner)
    assert (result.added, result.updated) == (0, 3)
    assert _count(database) == count
    with database.read() as session:
        jane = session.scalars(select(Customer).where(Customer.card_number == "FD-0000100")).one()
        assert (jane.last_name, jane.imported_visits) == ("Doe-Smith", 14)
        assert len(jane.allergies) == 2  # not recorded twice
        assert len(jane.preferences) == 2
    # Matched by phone when the file has no card; by e-mail when it has neither.
    by_phone = "Name,Phone,Visits\nJane D,+44 7700 900456,20\n"
    assert transfer.import_clients(by_phone.encode(), None, owner).updated == 1
    by_mail = "Name,Email\nXiao Ming,XM@example.cn\n"
    assert transfer.import_clients(by_mail.encode(), None, owner).updated == 1
    assert _count(database) == count


def test_a_messy_file_imports_nothing_and_names_every_bad_row(
    transfer: ClientTransferService, database: UnitOfWork, owner: SignedIn
) -> None:
    before = _count(database)
    data = MESSY.encode()
    preview = transfer.preview_import(data, owner)
    assert not preview.importable
    problems = {(e.line, e.column) for e in preview.errors}
    assert problems == {
        (3, "Birthday"),
        (4, "Allergies"),
        (5, "Allergies"),
        (6, "Tel"),
    }
    texts = " ".join(str(e.error) for e in preview.errors)
    assert "31.02.1990" in texts
    assert "listed twice" in texts
    assert "consent" in texts
    with pytest.raises(ImportRefused) as refused:
        transfer.import_clients(data, None, owner)
    assert len(refused.value.errors) == 4
    assert _count(database) == before  # not even Jane, who was fine


def test_wrong_encoding_and_missing_columns_are_refused_with_a_reason(
    transfer: ClientTransferService, owner: SignedIn
) -> None:
    mojibake = "Name,Phone\nЖанна,+79160000000\n".encode("utf-16")
    with pytest.raises(ClientFileError) as caught:
        transfer.preview_import(mojibake, owner)
    assert "UTF-8" in str(caught.value)
    with pytest.raises(ClientFileError) as caught:
        transfer.preview_import(b"Phone,Email\n+447700900999,a@b.co\n", owner, encoding="utf-8")
    message = str(caught.value)
    assert "name" in message
    assert "“Phone”, “Email”" in message
    with pytest.raises(ClientFileError, match="not in Windows-1251"):
        transfer.preview_import(b"Name\n\x98\n", owner, encoding="cp1251")


def test_import_and_export_need_the_transfer_permission(
    transfer: ClientTransferService, desk: SignedIn
) -> None:
    with pytest.raises(NotPermitted):
        transfer.preview_import(GOOD.encode(), desk)
    with pytest.raises(NotPermitted):
        transfer.export_csv(desk)


def test_export_reads_back_unchanged(
    transfer: ClientTransferService, database: UnitOfWork, owner: SignedIn
) -> None:
    transfer.import_clients(GOOD.encode(), None, owner)
    exported = transfer.export_csv(owner)
    assert exported.startswith(b"\xef\xbb\xbf")
    text = exported.decode("utf-8-sig")
    assert "Jane,Doe" in text
    assert "王" in text
    assert "Мария" in text
    assert "latex" not in text  # health data stays sealed
    count = _count(database)
    preview = transfer.preview_import(exported, owner)
    assert preview.errors == ()
    assert preview.new == 0
    transfer.import_clients(exported, None, owner)
    assert _count(database) == count
    assert transfer.export_csv(owner) == exported


def test_one_clients_data_as_json(
    transfer: ClientTransferService,
    health: ClientHealthService,
    database: UnitOfWork,
    clock: FixedClock,
    vault: HealthVault,
    owner: SignedIn,
    shop: SeededShop,
) -> None:
    health.set_consent(shop.anna_id, True, owner)
    health.add_entry(shop.anna_id, "allergy", "Lavender oil", "mild", "", owner)
    notes = TreatmentNoteService(database, clock, ShopService(database, clock), vault)
    if hasattr(notes, "write"):
        notes.write(shop.anna_id, "Tight shoulders", owner)
    assert transfer.find_client("FD-0000001", owner) == shop.anna_id
    assert transfer.find_client(str(shop.anna_id), owner) == shop.anna_id
    with pytest.raises(DomainError):
        transfer.find_client("FD-9999999", owner)
    data = transfer.export_one(shop.anna_id, owner)
    text = json.dumps(data, ensure_ascii=False)
    assert data["contact"]["first_name"] == "Anna"
    assert data["contact"]["phone"] == "+447700900123"
    assert data["consents"]["health_data"] is True
    assert any(e["substance"] == "Lavender oil" for e in data["health"]["entries"])
    assert data["visits"]
    assert "points" in data
    assert "sales" in data
    if hasattr(notes, "write"):
        assert "Tight shoulders" in text


def test_erase_keeps_sales_and_visits_under_a_pseudonym(
    transfer: ClientTransferService,
    health: ClientHealthService,
    database: UnitOfWork,
    owner: SignedIn,
    desk: SignedIn,
    shop: SeededShop,
) -> None:
    health.set_consent(shop.anna_id, True, owner)
    health.add_entry(shop.anna_id, "allergy", "latex", "mild", "", owner)
    with database.read() as session:
        sales = session.scalar(select(func.count(Sale.id)).where(Sale.customer_id == shop.anna_id))
    with pytest.raises(NotPermitted):
        transfer.erase(shop.anna_id, desk)
    transfer.erase(shop.anna_id, owner)
    with database.read() as session:
        anna = session.get(Customer, shop.anna_id)
        assert anna is not None
        assert anna.first_name == f"Erased client #{shop.anna_id}"
        assert (anna.last_name, anna.phone, anna.email, anna.card_number) == ("", None, None, None)
        assert anna.birthday is None
        assert anna.photo_png is None
        assert anna.erased_at is not None
        assert not anna.preferences
        assert not anna.allergies
        assert (
            session.scalar(select(func.count(Sale.id)).where(Sale.customer_id == shop.anna_id))
            == sales
        )
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "customer.erased")
        ).one()
        assert "Anna" not in (entry.detail or "")
    with pytest.raises(DomainError):
        transfer.erase(shop.anna_id, owner)


# -- duplicates and merge --------------------------------------------------------------------
# On SQLite and PostgreSQL: the shortlist comes from the search index (FTS5 or LIKE) and the
# merge finds the referencing tables from the schema.


@dataclass(frozen=True)
class MergeKit:
    database: UnitOfWork
    shop: SeededShop
    merger: ClientMergeService
    health: ClientHealthService
    owner: SignedIn
    desk: SignedIn


@pytest.fixture
def kit(backend_db: UnitOfWork, backend_shop: SeededShop, clock: FixedClock) -> MergeKit:
    vault = open_vault(None, backend_db)
    shop_service = ShopService(backend_db, clock)
    auth = AuthService(backend_db, clock)
    return MergeKit(
        backend_db,
        backend_shop,
        ClientMergeService(backend_db, clock, shop_service, vault),
        ClientHealthService(backend_db, clock, shop_service, vault),
        auth.sign_in(backend_shop.owner_id, PIN),
        auth.sign_in(backend_shop.receptionist_id, PIN),
    )


def test_likely_duplicates_by_phone_email_and_similar_name(
    kit: MergeKit,
) -> None:
    merger, owner, shop = kit.merger, kit.owner, kit.shop
    by_phone = merger.likely_duplicates(ClientForm("Someone", "Else", phone="07700 900123"), owner)
    assert [c.id for c in by_phone] == [shop.anna_id]
    by_name = merger.likely_duplicates(ClientForm("Ana", "Smith"), owner)
    assert shop.anna_id in [c.id for c in by_name]
    by_name = merger.likely_duplicates(ClientForm("Борис", "Иванов"), owner)
    assert [c.id for c in by_name] == [shop.boris_id]
    assert merger.likely_duplicates(ClientForm("Zed", "Quux"), owner) == ()


def _references(database: UnitOfWork, customer_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with database.read() as session:
        for table, column in customer_references():
            counts[f"{table.name}.{column}"] = int(
                session.scalar(
                    select(func.count()).select_from(table).where(table.c[column] == customer_id)
                )
                or 0
            )
    return counts


def test_merge_moves_every_row_that_refers_to_the_other_record(
    kit: MergeKit,
) -> None:
    merger, health, database, owner, desk, shop = (
        kit.merger,
        kit.health,
        kit.database,
        kit.owner,
        kit.desk,
        kit.shop,
    )
    for cid in (shop.anna_id, shop.boris_id):
        health.set_consent(cid, True, owner)
    health.add_entry(shop.anna_id, "allergy", "latex", "mild", "", owner)
    health.add_entry(shop.boris_id, "allergy", "Latex", "severe", "", owner)  # same allergen
    health.add_entry(shop.boris_id, "allergy", "nuts", "severe", "", owner)
    with database.write() as session:
        session.add(Preference(customer_id=shop.boris_id, topic="music", value="none"))
    keep_before = _references(database, shop.anna_id)
    other_before = _references(database, shop.boris_id)
    assert sum(other_before.values()) > 0
    assert "appointments.customer_id" in other_before  # found from the schema
    with pytest.raises(NotPermitted):
        merger.merge(shop.anna_id, shop.boris_id, desk)
    merger.merge(shop.anna_id, shop.boris_id, owner)
    keep_after = _references(database, shop.anna_id)
    other_after = _references(database, shop.boris_id)
    assert sum(other_after.values()) == 0
    for key, count in other_before.items():
        doubled = 1 if key == "allergies.customer_id" else 0
        assert keep_after[key] == keep_before[key] + count - doubled, key
    with database.read() as session:
        boris = session.get(Customer, shop.boris_id)
        assert boris is not None
        assert boris.merged_into_id == shop.anna_id
        assert session.scalars(
            select(AuditEntry).where(AuditEntry.action == "customer.merged")
        ).one()
    # A merged record is offered no more, and cannot be merged again.
    found = merger.likely_duplicates(ClientForm("Борис", "Иванов"), owner)
    assert shop.boris_id not in [c.id for c in found]
    with pytest.raises(DomainError):
        merger.merge(shop.anna_id, shop.boris_id, owner)


@pytest.fixture
def backend_transfer(
    backend_db: UnitOfWork, clock: FixedClock, backend_shop: SeededShop
) -> ClientTransferService:
    """The transfer service on SQLite and on PostgreSQL (which enforces column widths)."""
    vault = open_vault(None, backend_db)
    return ClientTransferService(backend_db, clock, ShopService(backend_db, clock), vault)


@pytest.fixture
def backend_owner(backend_db: UnitOfWork, clock: FixedClock, backend_shop: SeededShop) -> SignedIn:
    return AuthService(backend_db, clock).sign_in(backend_shop.owner_id, PIN)


def _card_preferences(database: UnitOfWork, card: str) -> tuple[CardPreferences, tuple[str, ...]]:
    with database.read() as session:
        client = session.scalars(select(Customer).where(Customer.card_number == card)).one()
        return read_preferences(
            [(p.topic, p.value) for p in sorted(client.preferences, key=lambda p: p.id)]
        )


def test_notes_are_the_cards_free_text_preference_and_a_reimport_replaces_them(
    backend_transfer: ClientTransferService, backend_db: UnitOfWork, backend_owner: SignedIn
) -> None:
    transfer, database, owner = backend_transfer, backend_db, backend_owner
    transfer.import_clients(GOOD.encode(), None, owner)
    prefs, others = _card_preferences(database, "FD-0000100")
    assert (prefs.notes, prefs.pressure, others) == ("Likes tea", "firm", ())

    # The other system's newer notes and pressure take the card's place: no second "notes"
    # row that the card would show under "Also noted" and drop at its next Save.
    changed = GOOD.replace("Likes tea", "Likes green tea").replace(
        "pressure: firm", "pressure: deep"
    )
    transfer.import_clients(changed.encode(), None, owner)
    prefs, others = _card_preferences(database, "FD-0000100")
    assert (prefs.notes, prefs.pressure, others) == ("Likes green tea", "deep", ())

    # A free topic of the file's own is added beside the card's fields, once.
    more = changed.replace("pressure: deep", '"pressure: deep; parking: needs a space"')
    transfer.import_clients(more.encode(), None, owner)
    transfer.import_clients(more.encode(), None, owner)
    prefs, others = _card_preferences(database, "FD-0000100")
    assert (prefs.notes, prefs.pressure, others) == (
        "Likes green tea",
        "deep",
        (("parking", "needs a space"),),
    )


def test_notes_longer_than_the_card_holds_are_a_row_error_before_anything_is_saved(
    backend_transfer: ClientTransferService, backend_db: UnitOfWork, backend_owner: SignedIn
) -> None:
    transfer, database, owner = backend_transfer, backend_db, backend_owner
    long = 'Name,Phone,Notes\nJane Doe,07700 900456,"' + "Prefers quiet. " * 14 + '"\n'
    assert len("Prefers quiet. " * 14) > 200
    before = _count(database)
    preview = transfer.preview_import(long.encode(), owner)
    assert [(e.line, e.column) for e in preview.errors] == [(2, "Notes")]
    assert "200" in str(preview.errors[0].error)
    with pytest.raises(ImportRefused):
        transfer.import_clients(long.encode(), None, owner)
    assert _count(database) == before
