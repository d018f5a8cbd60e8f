"""Working-time arithmetic of SLA deadlines (``lib/worktime.py``), without Odoo."""

from datetime import datetime, timedelta

import pytest

from lib.worktime import NoWorkingTimeError, WallClock, WorkSchedule

VN = timedelta(hours=7)
# Monday to Friday 08:00-12:00 and 13:30-17:30, Asia/Ho_Chi_Minh.
WEEK = [(d, 8, 12, None) for d in range(5)] + [(d, 13.5, 17.5, None) for d in range(5)]
# Tết 2026: 14-22 February, local days.
TET = [(datetime(2026, 2, 14) - VN, datetime(2026, 2, 23) - VN)]


def local(*args):
    return datetime(*args) - VN


@pytest.fixture
def schedule():
    return WorkSchedule("Asia/Ho_Chi_Minh", WEEK, TET)


def test_lunch_break(schedule):
    assert schedule.add_hours(local(2026, 3, 10, 11), 2) == local(2026, 3, 10, 14, 30)


def test_weekend(schedule):
    assert schedule.add_hours(local(2026, 3, 13, 16), 4) == local(2026, 3, 16, 10, 30)


def test_tet(schedule):
    assert schedule.add_hours(local(2026, 2, 13, 15), 4) == local(2026, 2, 23, 9, 30)
    assert (
        schedule.hours_between(local(2026, 2, 13, 8), local(2026, 2, 23, 9, 30)) == 9.5
    )


def test_start_outside_working_time(schedule):
    assert schedule.add_hours(local(2026, 3, 14, 10), 1) == local(2026, 3, 16, 9)
    assert schedule.hours_between(local(2026, 3, 14), local(2026, 3, 15)) == 0


def test_round_trip(schedule):
    start = local(2026, 2, 10, 9, 15)
    for hours in (0.25, 3.75, 8, 40, 77):
        assert schedule.hours_between(start, schedule.add_hours(start, hours)) == (
            pytest.approx(hours)
        )


def test_two_weeks_calendar():
    # Only the odd weeks work on Monday.
    schedule = WorkSchedule("UTC", [(0, 8, 12, "1"), (1, 8, 12, "0"), (1, 8, 12, "1")])
    start = datetime(2026, 3, 9)  # a Monday
    first = schedule.add_hours(start, 1)
    assert first.hour == 9 and first.weekday() in (0, 1)


def test_no_working_time():
    with pytest.raises(NoWorkingTimeError):
        WorkSchedule("UTC", [])
    everything_off = [(datetime(2000, 1, 1), datetime(2100, 1, 1))]
    schedule = WorkSchedule("UTC", WEEK, everything_off)
    with pytest.raises(NoWorkingTimeError):
        schedule.add_hours(datetime(2026, 1, 1), 1)


def test_custom_error():
    class CalendarError(Exception):
        pass

    with pytest.raises(CalendarError):
        WorkSchedule("UTC", [], error=CalendarError)


def test_wall_clock():
    start = datetime(2026, 2, 14, 3)
    assert WallClock().add_hours(start, 4) == start + timedelta(hours=4)
    assert WallClock().hours_between(start, start + timedelta(hours=30)) == 30


def test_working_days_skip_weekend(schedule):
    # Solved on Thursday 2026-03-12 at 16:00: two working days later is
    # Monday the 16th, when work begins.
    assert schedule.add_working_days(local(2026, 3, 12, 16), 2) == local(2026, 3, 16, 8)


def test_working_days_skip_tet(schedule):
    assert schedule.add_working_days(local(2026, 2, 13, 9), 1) == local(2026, 2, 23, 8)


def test_working_days_zero_is_next_working_moment(schedule):
    assert schedule.add_working_days(local(2026, 3, 10, 12, 30), 0) == local(
        2026, 3, 10, 13, 30
    )
    assert schedule.next_working(local(2026, 3, 10, 9)) == local(2026, 3, 10, 9)


def test_working_days_wall_clock():
    start = datetime(2026, 3, 14, 10)
    assert WallClock().add_working_days(start, 3) == datetime(2026, 3, 17, 10)
    assert WallClock().next_working(start) == start


def test_appointment_refusals(schedule):
    now = local(2026, 3, 10, 9)
    assert schedule.refusal(local(2026, 3, 10, 10), now) is None
    assert schedule.refusal(local(2026, 3, 10, 8, 30), now) == "past"
    assert schedule.refusal(local(2026, 3, 10, 12, 30), now) == "closed", "lunch"
    assert schedule.refusal(local(2026, 3, 10, 18), now) == "closed"
    assert schedule.refusal(local(2026, 3, 14, 10), now) == "closed_day", "Saturday"
    assert schedule.refusal(local(2026, 2, 17, 10), local(2026, 2, 1)) == "holiday"
    assert schedule.to_utc(datetime(2026, 3, 10, 14)) == local(2026, 3, 10, 14)
    assert schedule.to_local(local(2026, 3, 10, 14)) == datetime(2026, 3, 10, 14)
    assert schedule.day_hours(schedule.local_day(local(2026, 3, 10, 23))) == [
        (8, 12),
        (13.5, 17.5),
    ]
