"""Benchmarks run on a large demo database named by FRONTDESK_BENCH_DB (`make bench` builds it).

Each target is measured beside its floor in the same run (the raw SQL query it rests on, a
bare Qt window), and the ratio is printed. Nothing here asserts a time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from db.engine import make_engine
from frontdesk.services.unit_of_work import UnitOfWork

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESULTS: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="session")
def bench_db() -> Path:
    raw = os.environ.get("FRONTDESK_BENCH_DB", "")
    if not raw or not Path(raw).exists():
        pytest.skip("set FRONTDESK_BENCH_DB to a demo database (make bench builds one)")
    return Path(raw)


@pytest.fixture(scope="module")  # disposed before the startup benchmark: see test_search_bench.raw
def bench_database(bench_db: Path) -> Iterator[UnitOfWork]:
    engine = make_engine(f"sqlite:///{bench_db}")
    yield UnitOfWork(engine)
    engine.dispose()


def record(name: str, benchmark: BenchmarkFixture) -> None:
    assert benchmark.stats is not None, "record() is called after the benchmark ran"
    stats = benchmark.stats.stats
    data = sorted(stats.data)
    p95 = data[min(len(data) - 1, round(0.95 * (len(data) - 1)))]
    RESULTS[name] = {"median": stats.median, "p95": p95}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not RESULTS:
        return
    write = terminalreporter.write_line
    write("")
    write("FrontDesk benchmarks: median / p95, and the ratio to the floor measured in this run")
    pairs = sorted({name.rsplit(":", 1)[0] for name in RESULTS})
    for pair in pairs:
        target, floor = RESULTS.get(f"{pair}:target"), RESULTS.get(f"{pair}:floor")
        if not target or not floor:
            continue
        write(
            f"  {pair:32} {target['median'] * 1000:9.2f} ms / {target['p95'] * 1000:9.2f} ms"
            f"   floor {floor['median'] * 1000:8.2f} ms / {floor['p95'] * 1000:8.2f} ms"
            f"   ratio {target['median'] / floor['median']:6.1f}x"
            f" / p95 {target['p95'] / floor['p95']:6.1f}x"
        )
