"""`upgrade head` yields exactly the models' schema, on SQLite and PostgreSQL."""

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from db.engine import make_engine
from db.migrate import HEAD_REVISION, alembic_config, head_revision, upgrade_to_head
from db.models import Base
from db.search_index import is_search_index_object


def _schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, kind, reflected, other: (
                    not (kind in ("table", "index") and is_search_index_object(str(name)))
                ),
            },
        )
        return list(compare_metadata(context, Base.metadata))


def test_history_is_linear_with_one_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert len(scripts.get_heads()) == 1
    for script in scripts.walk_revisions():
        assert not script.is_merge_point
        assert not script.is_branch_point


def test_the_head_constant_is_alembics_head() -> None:
    # The start compares the stored revision with HEAD_REVISION instead of asking Alembic: a
    # new migration must move the constant too, or databases would never be upgraded.
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def _upgrade_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from alembic import command

    calls: list[str] = []
    real = command.upgrade

    def recording(config: object, revision: str, **kwargs: object) -> None:
        calls.append(revision)
        real(config, revision, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "upgrade", recording)
    return calls


def test_the_schema_check_is_skipped_at_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "at-head.sqlite3"
    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade_to_head(engine)
    calls = _upgrade_calls(monkeypatch)
    assert upgrade_to_head(engine) == HEAD_REVISION
    assert calls == []
    engine.dispose()
    # A fresh process opening it never even imports Alembic (nor mako, nor pygments).
    probe = (
        "import sys\n"
        "from db.engine import make_engine\n"
        "from db.migrate import upgrade_to_head\n"
        f"print(upgrade_to_head(make_engine({f'sqlite:///{path}'!r})))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako', 'pygments'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()
    assert out == [HEAD_REVISION, "[]"]


def test_the_schema_check_runs_when_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'behind.sqlite3'}", create=True)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    calls = _upgrade_calls(monkeypatch)
    assert upgrade_to_head(engine) == HEAD_REVISION
    assert calls == ["head"]
    assert "print_jobs" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            HEAD_REVISION
        )


def test_a_newer_schema_is_refused_in_plain_words(tmp_path: Path) -> None:
    from db.errors import DatabaseTooNew

    engine = make_engine(f"sqlite:///{tmp_path / 'newer.sqlite3'}", create=True)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseTooNew, match="newer version of FrontDesk"):
        upgrade_to_head(engine)


def test_upgrade_head_matches_models_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", create=True)
    assert upgrade_to_head(engine) == head_revision()
    assert _schema_diff(engine) == []
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "customers_fts" in tables
    # Upgrading again is a no-op.
    assert upgrade_to_head(engine) == head_revision()


def test_sqlite_connections_are_configured(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}", create=True)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}", create=True)
    upgrade_to_head(engine)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade_to_head(engine)
    assert _schema_diff(engine) == []


@pytest.mark.postgres
def test_upgrade_head_matches_models_on_postgresql(pg_engine: Engine) -> None:
    assert upgrade_to_head(pg_engine) == head_revision()
    assert _schema_diff(pg_engine) == []
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            head_revision()
        )


def _fts_ids(engine: Engine, phrase: str) -> set[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT rowid FROM customers_fts WHERE customers_fts MATCH :m"), {"m": phrase}
        )
        return {int(r[0]) for r in rows}


def _add_customer(engine: Engine, name: str, digits: str) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            text(
                "INSERT INTO customers (first_name, last_name, search_name, search_name_rev,"
                " phone_digits, marketing_consent, created_at)"
                " VALUES (:n, '', :n, :n, :d, 0, '2026-11-01 10:00:00.000000')"
            ),
            {"n": name, "d": digits},
        )
        return int(result.lastrowid)


def test_the_name_and_phone_index_survives_every_migration(tmp_path: Path) -> None:
    """A migration that rebuilds the customers table on SQLite (batch mode) drops its triggers:
    clients added afterwards were never found by a name substring or a phone fragment."""
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'f.sqlite3'}", create=True)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    before = _add_customer(engine, "annabel", "447700900123")
    upgrade_to_head(engine)
    after = _add_customer(engine, "borislava", "79161234567")
    assert _fts_ids(engine, 'search_name:"nnabe"') == {before}
    assert _fts_ids(engine, 'search_name:"slav"') == {after}
    assert _fts_ids(engine, 'phone_digits:"9161234"') == {after}
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE customers SET search_name = 'ludmila' WHERE id = :i"), {"i": after}
        )
    assert _fts_ids(engine, 'search_name:"slav"') == set()
    assert _fts_ids(engine, 'search_name:"dmil"') == {after}


def test_migration_0006_fills_every_search_key(tmp_path: Path) -> None:
    """Clients of an older database get the keys the program saves (accents folded, pinyin
    initials, folded e-mail, national phone number), in batches over their ids."""
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'f.sqlite3'}", create=True)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
    with engine.begin() as conn:
        for first, last, phone, email in (
            ("芳", "王", "+8613800138000", None),
            ("Zoë", "Brontë", "+79161234567", "Zoe@Example.ORG"),
        ):
            conn.execute(
                text(
                    "INSERT INTO customers (first_name, last_name, search_name, search_name_rev,"
                    " phone, phone_digits, email, marketing_consent, created_at) VALUES (:f, :l,"
                    " lower(:f), lower(:l), :p, '', :e, 0, '2026-11-01 10:00:00.000000')"
                ),
                {"f": first, "l": last, "p": phone, "e": email},
            )
    upgrade_to_head(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT search_name, search_name_rev, search_initials, email_folded,"
                " phone_digits, phone_national FROM customers ORDER BY id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("王芳", "芳王", "wf fw", "", "8613800138000", "13800138000"),
        ("zoe bronte", "bronte zoe", "", "zoe@example.org", "79161234567", "9161234567"),
    ]
    assert _fts_ids(engine, 'search_name:"e bro"') == {2}


def test_a_shop_with_sales_of_products_upgrades_from_every_old_version(tmp_path: Path) -> None:
    """A migration that rebuilds a table others point to (SQLite's batch mode copies, drops and
    renames it) failed on a real shop with "FOREIGN KEY constraint failed": the shop could not
    start the new version. Every row must come through."""
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}", create=True)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff (id, display_name, role, pin_hash, active,"
                " failed_pin_attempts, color) VALUES (1, 'Olga', 'owner', 'x', 1, 0, '#aabbcc')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO products (id, sku, name, price_minor, tax_rate_bp, stock, active)"
                " VALUES (7, 'OIL-1', 'Oil', 1200, 2000, 3, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sales (id, receipt_number, cashier_id, created_at, currency,"
                " total_minor, tax_minor)"
                " VALUES (1, 'R-000001', 1, '2026-11-01 10:00:00', 'GBP', 1200, 200)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sale_lines (id, sale_id, product_id, description, quantity,"
                " unit_price_minor, tax_rate_bp, total_minor, tax_minor)"
                " VALUES (1, 1, 7, 'Oil', 1, 1200, 2000, 1200, 200)"
            )
        )
    upgrade_to_head(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT product_id FROM sale_lines")).scalar_one() == 7
        assert conn.execute(text("SELECT name FROM products")).scalar_one() == "Oil"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
