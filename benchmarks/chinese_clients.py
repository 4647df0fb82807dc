"""Give the 1M-client benchmark database its Chinese clients (`make bench` runs this once).

The English demo has no Chinese names, so the two-character Chinese name benchmark would have
nothing to find. This adds `COUNT` clients with Chinese names drawn from a fixed seed (every
`NAMED`-th is 王芳, the name the benchmark types), their search keys made by the program's own
`client_search_keys`, in one transaction. Run again, it sees them and does nothing.

    python -m benchmarks.chinese_clients --db .bench/frontdesk-1m.sqlite3
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from db.engine import make_engine
from db.models import Customer
from frontdesk.domain.search_text import client_search_keys

COUNT = 20_000
NAMED = 50  # every 50th client is 王芳: 400 of them, as common a name as it is in life
NAME = ("芳", "王")  # first, last
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
#: Given names of one character, and of two.
GIVEN_ONE = "芳伟娜敏静丽强磊洋艳勇军杰娟涛明超霞平刚"
GIVEN_TWO = ("秀英", "桂英", "晓明", "婷婷", "雪梅", "海燕", "志强")
GIVEN = (*GIVEN_ONE, *GIVEN_TWO)


def _names(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN), rng.choice(SURNAMES)


def add_chinese_clients(db: Path, count: int = COUNT, seed: int = 9) -> int:
    """Add the Chinese clients unless they are there; the number added."""
    engine = make_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            first, last = NAME
            if conn.scalar(
                select(func.count()).where(Customer.first_name == first, Customer.last_name == last)
            ):
                return 0
            rng = random.Random(seed)
            joined = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
            rows = []
            for number in range(count):
                given, surname = NAME if number % NAMED == 0 else _names(rng)
                phone = f"+86139{number:08d}"
                keys = client_search_keys(given, surname, phone, None, "CN")
                rows.append(
                    {
                        "first_name": given,
                        "last_name": surname,
                        "phone": phone,
                        "created_at": joined,
                        **keys.as_columns(),
                    }
                )
            conn.execute(insert(Customer), rows)
            return count
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db}: no such database (build it first: make bench)", file=sys.stderr)
        return 2
    added = add_chinese_clients(args.db)
    print(f"{args.db}: {added} Chinese clients added" if added else f"{args.db}: already there")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
