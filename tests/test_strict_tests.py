"""The suite's own rules (tests/conftest.py): Qt tests are marked `gui`, and a test that logs a
warning it did not expect fails. Each is checked on a small suite run in a new process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The inner suite uses the real hooks and fixture of tests/conftest.py, nothing else of ours.
INNER_CONFTEST = """
from tests.conftest import (
    _no_unexpected_log_records,
    pytest_collection_modifyitems,
    pytest_runtest_call,
)
"""
INNER_INI = """
[pytest]
addopts = -p no:randomly -p no:cacheprovider
markers =
    gui: Qt
    expect_log: expected log records
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    pytester.makeconftest(INNER_CONFTEST)
    pytester.makeini(INNER_INI)
    return pytester


def test_not_gui_collects_no_test_that_uses_qt(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        test_mixed="""
        import pytest

        @pytest.fixture
        def window(qtbot):
            return qtbot

        @pytest.fixture
        def app_name(qapp):
            return qapp.applicationName()

        def test_with_qtbot(qtbot): pass
        def test_with_a_fixture_built_on_qtbot(window): pass
        def test_with_a_fixture_built_on_qapp(app_name): pass
        def test_plain(tmp_path): pass
        """,
        test_imports_pyside="""
        from PySide6.QtCore import QObject

        def test_without_qt_fixtures(): pass
        """,
    )

    collected, run = inner.inline_genitems("-m", "not gui")

    deselected = [item for call in run.getcalls("pytest_deselected") for item in call.items]
    kept = [item for item in collected if item not in deselected]
    assert [item.nodeid for item in kept] == ["test_mixed.py::test_plain"]
    assert sorted(item.nodeid for item in deselected) == [
        "test_imports_pyside.py::test_without_qt_fixtures",
        "test_mixed.py::test_with_a_fixture_built_on_qapp",
        "test_mixed.py::test_with_a_fixture_built_on_qtbot",
        "test_mixed.py::test_with_qtbot",
    ]
    assert all(item.get_closest_marker("gui") for item in deselected)


def test_a_warning_log_fails_the_test_unless_it_is_expected(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        test_logs="""
        import logging
        import pytest

        def test_our_warning():
            logging.getLogger("frontdesk.services.database").warning("disk %s", "full")

        def test_our_error_in_db():
            logging.getLogger("db.engine").error("damaged")

        def test_a_root_warning():
            logging.warning("bare")

        def test_a_library_warning_is_not_ours():
            logging.getLogger("sqlalchemy.pool").warning("pool")

        def test_info_is_fine():
            logging.getLogger("frontdesk").info("started")

        @pytest.mark.expect_log("frontdesk.services", match="^disk")
        def test_an_expected_warning():
            logging.getLogger("frontdesk.services.database").warning("disk full")

        @pytest.mark.expect_log("frontdesk.services")
        def test_expected_as_a_warning_but_logged_as_an_error():
            logging.getLogger("frontdesk.services.database").error("disk full")

        @pytest.mark.expect_log("printing", logging.ERROR)
        def test_an_expected_error_that_never_comes():
            pass

        @pytest.fixture
        def noisy_teardown():
            yield
            logging.getLogger("printing.queue").warning("left behind")

        def test_a_warning_in_teardown(noisy_teardown):
            pass

        def test_a_failure_stays_its_own_failure():
            logging.getLogger("frontdesk").warning("before the failure")
            assert 1 == 2
        """
    )

    result = inner.runpytest_subprocess("-rA")

    outcomes = {
        line.split(" - ")[0].replace("test_logs.py::", "")
        for line in result.outlines
        if line.startswith(
            ("PASSED test_logs.py::", "FAILED test_logs.py::", "ERROR test_logs.py::")
        )
    }
    assert outcomes == {
        "FAILED test_our_warning",
        "FAILED test_our_error_in_db",
        "FAILED test_a_root_warning",
        "PASSED test_a_library_warning_is_not_ours",
        "PASSED test_info_is_fine",
        "PASSED test_an_expected_warning",
        "FAILED test_expected_as_a_warning_but_logged_as_an_error",
        "FAILED test_an_expected_error_that_never_comes",
        "PASSED test_a_warning_in_teardown",  # the test itself; its teardown errs
        "ERROR test_a_warning_in_teardown",
        "FAILED test_a_failure_stays_its_own_failure",
    }
    out = result.stdout.str()
    unexpected = (
        "Unexpected log records (mark the test @pytest.mark.expect_log(logger, level)"
        " if it means to log them):\n"
    )
    assert f"{unexpected}  frontdesk.services.database WARNING: disk full\n" in out
    assert f"{unexpected}  printing.queue WARNING: left behind\n" in out
    assert "Expected log records that never came:\n  printing ERROR\n" in out
    assert "E       assert 1 == 2" in out
