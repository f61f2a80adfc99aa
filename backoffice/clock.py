"""China's clock: the day a user in China is living, whatever the server's time zone.

A deployment's server may run in UTC: from 16:00 to midnight UTC China is already in the next day (and on
31 December in the next year). Whatever the user means by "today" — the entry deadline, "a study cannot end
after today", the 学时预警's year, a report's 统计时间 — is this day.
"""
from datetime import date, datetime, timedelta, timezone

BEIJING = timedelta(hours=8)  # China keeps no summer time


def beijing_today() -> date:
    return (datetime.now(timezone.utc) + BEIJING).date()
