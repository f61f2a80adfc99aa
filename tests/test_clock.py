"""China's clock (backoffice/clock.py): the product's one source of "today" and "now"."""
import pathlib
import re
from datetime import date, datetime, timezone

import pytest

from backoffice import clock


def frozen_at(monkeypatch, utc: datetime) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return utc.replace(tzinfo=timezone.utc).astimezone(tz) if tz else utc

    monkeypatch.setattr(clock, "datetime", Frozen)


@pytest.mark.parametrize("utc, today", [
    (datetime(2026, 12, 31, 15, 59, 59), date(2026, 12, 31)),  # 23:59:59 in Beijing
    (datetime(2026, 12, 31, 16, 0, 0), date(2027, 1, 1)),  # midnight in Beijing: the new year
    (datetime(2027, 6, 30, 23, 0, 0), date(2027, 7, 1)),  # no summer time: +8 all year
])
def test_today_is_chinas_day_not_the_servers(monkeypatch, utc, today):
    frozen_at(monkeypatch, utc)
    assert clock.beijing_today() == today


def test_now_is_beijing_wall_clock(monkeypatch):
    frozen_at(monkeypatch, datetime(2026, 12, 31, 16, 5))
    assert clock.beijing_now() == datetime(2027, 1, 1, 0, 5)


def test_a_beijing_day_starts_at_16_utc_the_day_before():
    assert clock.utc_start_of(date(2027, 1, 1)) == datetime(2026, 12, 31, 16, 0)
    assert clock.utc_of(datetime(2027, 1, 1, 8, 30)) == datetime(2027, 1, 1, 0, 30)


def test_nothing_else_reads_the_servers_day():
    """Every "today" of the product and its demo comes from the clock: a `date.today()` or a naive
    `datetime.now()` elsewhere would put China's 1 January in the old year from 16:00 UTC."""
    root = pathlib.Path(clock.__file__).parent
    server_day = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|\butcnow\(\)\.date\(\)")
    offenders = [f"{path.relative_to(root)}:{n}" for path in sorted(root.rglob("*.py")) if path.name != "clock.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if server_day.search(line)]
    assert offenders == []
