"""Working-time arithmetic for SLA deadlines, in pure Python.

``resource.calendar`` can plan hours (``plan_hours``), but each call expands the
attendances with ``rrule`` over two-week windows and searches the leaves again:
several milliseconds per deadline. SLA status lines need many deadlines per
ticket (one per target, again after each pause), so the calendar is read once
per operation into a :class:`WorkSchedule` and the arithmetic below walks the
working intervals day by day. Nothing is kept between requests: the caller
builds a schedule for the records it is processing and drops it afterwards.

All datetimes in and out are naive UTC, as stored by the ORM.
"""

import bisect
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# A deadline further than this from its start means the calendar has (almost)
# no working time left: fail loudly instead of walking the calendar forever.
MAX_DAYS = 3 * 366


class NoWorkingTimeError(ValueError):
    """The calendar has no working time in the searched period."""


def week_parity(day):
    """Week type ("0"/"1") of a date, as ``resource.calendar.attendance``."""
    return str(int((day.toordinal() - 1) // 7 % 2))


class WorkSchedule:
    """Working intervals of one calendar in its timezone, minus its leaves.

    :param tz: IANA timezone name of the calendar (e.g. ``Asia/Ho_Chi_Minh``)
    :param attendances: iterable of ``(weekday, hour_from, hour_to, week_type)``
        with weekday 0 = Monday and week_type ``"0"``, ``"1"`` or ``None``
    :param leaves: iterable of ``(date_from, date_to)`` naive UTC datetimes
    :param error: optional callable returning the exception to raise when the
        calendar has no working time (e.g. a translated ``UserError``)
    """

    def __init__(self, tz, attendances, leaves=(), error=None):
        self.error = error or NoWorkingTimeError
        self.tz = ZoneInfo(tz or "UTC")
        self.week = {}
        self.two_weeks = False
        for weekday, hour_from, hour_to, week_type in attendances:
            if hour_to <= hour_from:
                continue
            self.two_weeks = self.two_weeks or bool(week_type)
            key = (week_type or None, int(weekday))
            self.week.setdefault(key, []).append((hour_from, hour_to))
        for periods in self.week.values():
            periods.sort()
        if not self.week:
            raise self.error()
        merged = []
        for start, stop in sorted(leaves):
            if stop <= start:
                continue
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], stop)
            else:
                merged.append([start, stop])
        self._days = {}
        self.leave_starts = [leave[0] for leave in merged]
        self.leaves = merged

    # ---- intervals ----

    def _day_periods(self, day):
        week_type = week_parity(day) if self.two_weeks else None
        return self.week.get((week_type, day.weekday()), ())

    def _local_to_utc(self, day, hours):
        local = datetime.combine(day, time.min) + timedelta(hours=hours)
        aware = local.replace(tzinfo=self.tz)
        return aware.astimezone(timezone.utc).replace(tzinfo=None)

    def _minus_leaves(self, start, stop):
        """Yield the parts of [start, stop) that no leave covers."""
        index = max(bisect.bisect_right(self.leave_starts, start) - 1, 0)
        leaves = self.leaves
        while index < len(leaves) and start < stop:
            leave_start, leave_stop = leaves[index]
            if leave_start >= stop:
                break
            if leave_stop > start:
                if leave_start > start:
                    yield start, leave_start
                start = max(start, leave_stop)
            index += 1
        if start < stop:
            yield start, stop

    def _day_intervals(self, day):
        """Working intervals (UTC) of a local day, leaves removed. Memoized on
        the schedule, which lives as long as the operation that built it."""
        intervals = self._days.get(day)
        if intervals is None:
            intervals = []
            for hour_from, hour_to in self._day_periods(day):
                intervals.extend(
                    self._minus_leaves(
                        self._local_to_utc(day, hour_from),
                        self._local_to_utc(day, hour_to),
                    )
                )
            self._days[day] = intervals
        return intervals

    def intervals(self, start, stop=None):
        """Yield working intervals (UTC) from ``start``, up to ``stop`` if given."""
        aware = start.replace(tzinfo=timezone.utc)
        local_day = aware.astimezone(self.tz).date() - timedelta(days=1)
        last_day = local_day + timedelta(days=MAX_DAYS)
        while local_day <= last_day:
            for period_start, period_stop in self._day_intervals(local_day):
                if stop is not None and period_start >= stop:
                    return
                period_start = max(period_start, start)
                if stop is not None:
                    period_stop = min(period_stop, stop)
                if period_start < period_stop:
                    yield period_start, period_stop
            local_day += timedelta(days=1)
        if stop is None:
            raise self.error()

    # ---- arithmetic ----

    def add_hours(self, start, hours):
        """Return the moment when ``hours`` working hours after ``start`` end."""
        if hours <= 0:
            return start
        left = timedelta(hours=hours)
        for period_start, period_stop in self.intervals(start):
            length = period_stop - period_start
            if length >= left:
                return period_start + left
            left -= length
        raise self.error()  # pragma: no cover

    def hours_between(self, start, stop):
        """Working hours between two moments (0 if ``stop`` is not after)."""
        if stop <= start:
            return 0.0
        total = timedelta()
        for period_start, period_stop in self.intervals(start, stop):
            total += period_stop - period_start
        return total.total_seconds() / 3600.0

    def next_working(self, start):
        """The first working moment at or after ``start``."""
        for period_start, __ in self.intervals(start):
            return period_start
        raise self.error()  # pragma: no cover

    def add_working_days(self, start, days):
        """The start of the ``days``-th working day after the local day of
        ``start`` (a day counts when it has working time left after leaves);
        ``days <= 0``: the next working moment. Follow-ups planned "N working
        days after" are due when that day's work begins."""
        if days <= 0:
            return self.next_working(start)
        day = start.replace(tzinfo=timezone.utc).astimezone(self.tz).date()
        for __ in range(MAX_DAYS):
            day += timedelta(days=1)
            intervals = self._day_intervals(day)
            if intervals:
                days -= 1
                if not days:
                    return intervals[0][0]
        raise self.error()

    # ---- appointments ----

    def refusal(self, moment, now):
        """Why ``moment`` cannot be an appointment (a call-back), or ``None``:
        ``"past"``, ``"holiday"`` (a leave of the calendar covers it),
        ``"closed_day"`` (no working period that local day) or ``"closed"``
        (outside that day's periods: before, after, the lunch break)."""
        if moment <= now:
            return "past"
        index = bisect.bisect_right(self.leave_starts, moment) - 1
        if index >= 0 and moment < self.leaves[index][1]:
            return "holiday"
        local_day = self.local_day(moment)
        if not self._day_periods(local_day):
            return "closed_day"
        for start, stop in self._day_intervals(local_day):
            if start <= moment < stop:
                return None
        return "closed"

    def local_day(self, moment):
        """The calendar's local date of a naive UTC ``moment``."""
        return moment.replace(tzinfo=timezone.utc).astimezone(self.tz).date()

    def day_hours(self, day):
        """``[(hour_from, hour_to)]`` of a local date, leaves not removed."""
        return list(self._day_periods(day))

    def to_utc(self, local):
        """A naive local datetime of the calendar as naive UTC."""
        aware = local.replace(tzinfo=self.tz)
        return aware.astimezone(timezone.utc).replace(tzinfo=None)

    def to_local(self, moment):
        """A naive UTC datetime as naive local time of the calendar."""
        return (
            moment.replace(tzinfo=timezone.utc).astimezone(self.tz).replace(tzinfo=None)
        )


class WallClock:
    """Calendar hours: every hour counts (targets not in working time)."""

    def add_hours(self, start, hours):
        return start + timedelta(hours=max(hours, 0))

    def hours_between(self, start, stop):
        return max((stop - start).total_seconds() / 3600.0, 0.0)

    def next_working(self, start):
        return start

    def add_working_days(self, start, days):
        return start + timedelta(days=max(days, 0))
