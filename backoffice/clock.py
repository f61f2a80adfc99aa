"""China's clock: the day and time a user in China is living, whatever the server's time zone.

A deployment's server may run in UTC: from 16:00 to midnight UTC China is already in the next day (and on
31 December in the next year). Whatever the user means by "today" — the entry deadline, "a study cannot end
after today", the 学时预警's year, a report's 统计时间, the demo's dates — is this day: nothing in the product
reads `date.today()`. Stored timestamps stay naive UTC (`models.base.utcnow`); `utc_start_of` turns a
Beijing day into the instant those columns are compared with.
"""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")  # China keeps no summer time: always UTC+8


def beijing_now() -> datetime:
    """The wall-clock time in Beijing (naive), the time class sessions are written in."""
    return datetime.now(BEIJING).replace(tzinfo=None)


def beijing_today() -> date:
    return datetime.now(BEIJING).date()


def utc_start_of(day: date) -> datetime:
    """The naive-UTC instant a Beijing day starts at (the form timestamps are stored in)."""
    return datetime.combine(day, time.min, tzinfo=BEIJING).astimezone(timezone.utc).replace(tzinfo=None)


def utc_of(wall_clock: datetime) -> datetime:
    """A naive Beijing wall-clock time as the naive UTC the tables store."""
    return wall_clock.replace(tzinfo=BEIJING).astimezone(timezone.utc).replace(tzinfo=None)
