"""Does the late policy parser read what instructors write, refuse the rest with a clear message, and do
penalties follow the documented formula?"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from grader.lms.late import LatePolicyError, late_info, parse_deadline, parse_policy, units_late

TZ8 = timezone(timedelta(hours=8))
DEADLINE = datetime(2026, 12, 1, 23, 59, tzinfo=TZ8)


@pytest.mark.parametrize("text,kind,rate,unit_hours,max_units", [
    ("10%/day, max 3 days", "rate", 0.10, 24, 3),
    ("10 % / day,max 3 days", "rate", 0.10, 24, 3),
    ("12.5%/day", "rate", 0.125, 24, None),
    ("5%/hour, max 48 hours", "rate", 0.05, 1, 48),
    ("ZERO", "zero", 0.0, 24, None),
    ("none", "none", 0.0, 24, None),
], ids=["rate-max", "spaces", "decimal", "hourly", "zero", "none"])
def test_policies_that_parse(text, kind, rate, unit_hours, max_units):
    p = parse_policy(text)
    assert (p.kind, p.rate, p.unit, p.max_units) == (kind, rate, timedelta(hours=unit_hours), max_units)


@pytest.mark.parametrize("text,message", [
    ("10 percent", "--late-policy '10 percent': expected 'zero', 'none' or a rate such as '10%/day' or "
                   "'10%/day, max 3 days'; could not read '10 percent'."),
    ("", "--late-policy '': expected 'zero', 'none' or a rate such as '10%/day' or '10%/day, max 3 days'; "
         "could not read ''."),
    ("0%/day", "--late-policy '0%/day': the rate must be more than 0% and at most 100%."),
    ("150%/day", "--late-policy '150%/day': the rate must be more than 0% and at most 100%."),
    ("10%/day, at most 3 days", "--late-policy '10%/day, at most 3 days': after the rate only 'max N days' may "
                                "follow; could not read 'at most 3 days'."),
    ("10%/day, max 3 hours", "--late-policy '10%/day, max 3 hours': the rate is per day, so the maximum must be "
                             "in days too."),
    ("10%/day, max 3 days, max 4 days", "--late-policy '10%/day, max 3 days, max 4 days': give 'max' once."),
], ids=["words", "empty", "zero-rate", "over-100", "bad-max", "mixed-units", "max-twice"])
def test_policies_that_do_not_parse_say_why(text, message):
    with pytest.raises(LatePolicyError) as exc:
        parse_policy(text)
    assert str(exc.value) == message


@pytest.mark.parametrize("text,message", [
    ("2026-12-01T23:59:00", "--deadline '2026-12-01T23:59:00' has no time zone offset; add one, e.g. "
                            "2026-12-01T23:59:00+08:00."),
    ("1 December", "--deadline '1 December' is not an ISO 8601 time; write it like 2026-12-01T23:59:00+08:00."),
])
def test_deadlines_that_do_not_parse_say_why(text, message):
    with pytest.raises(LatePolicyError) as exc:
        parse_deadline(text)
    assert str(exc.value) == message


def test_deadline_with_offset():
    assert parse_deadline("2026-12-01T23:59:00+08:00") == DEADLINE


@pytest.mark.parametrize("submitted,units", [
    (DEADLINE, 0),
    (DEADLINE - timedelta(seconds=1), 0),
    (DEADLINE + timedelta(seconds=1), 1),
    (DEADLINE + timedelta(days=1), 1),
    (DEADLINE + timedelta(days=1, seconds=1), 2),
    (datetime(2026, 12, 1, 16, 0, tzinfo=timezone.utc), 1),  # 00:00 +08:00, one minute late
], ids=["on-time", "early", "1s", "exactly-1d", "1d1s", "other-zone"])
def test_started_days_late(submitted, units):
    assert units_late(submitted, DEADLINE, timedelta(days=1)) == units


@pytest.mark.parametrize("days,penalty", [(0, 0.0), (1, 0.1), (2, 0.2), (3, 0.3), (4, 1.0)])
def test_rate_with_max_days(days, penalty):
    assert parse_policy("10%/day, max 3 days").penalty(days) == penalty


def test_rate_is_capped_at_the_whole_score():
    assert parse_policy("40%/day").penalty(3) == 1.0


def test_late_info_from_a_time_and_from_a_marker():
    policy = parse_policy("10%/day, max 3 days")
    info = late_info(DEADLINE + timedelta(hours=30), False, DEADLINE, policy)
    assert info == {"submitted_at": "2026-12-03T05:59:00+08:00", "deadline": "2026-12-01T23:59:00+08:00",
                    "late": True, "units": 2, "unit": "day", "penalty": 0.2, "policy": "10%/day, max 3 days",
                    "basis": "time"}
    marker = late_info(None, True, None, policy)
    assert (marker["late"], marker["units"], marker["penalty"], marker["basis"]) == (True, 1, 0.1, "marker")
    assert late_info(None, False, DEADLINE, policy) == {}
