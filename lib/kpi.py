"""Formulas of the department's KPIs and of the churn-risk score, in pure Python.

The counts come from SQL aggregates (``models/care_kpi.py``); what is done with
them (a rate, an NPS, a score, a comparison with the previous period) is here,
so that each definition is written once and tested without a database
(``tests_offline/test_kpi.py``). The README's "KPIs" section states them in
words.
"""

# NPS categories of a 0-10 answer (Bain's definition).
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
# CSAT: a rating of 4 or 5 (out of 5) is a satisfied customer.
CSAT_SATISFIED_MIN = 4

# Churn-risk score: the weight of each signal (they add up to 100).
CHURN_WEIGHTS = {
    "mood": 25,  # current mood: -100 (furious) .. +100 (delighted)
    "trend": 10,  # the mood is getting worse
    "bad_ratings": 15,  # ratings of 1 or 2 in the last 90 days
    "detractor": 15,  # the last NPS answer was 0-6
    "sla_failures": 10,  # tickets whose SLA failed in the last 90 days
    "complaints": 10,  # complaints in the last 90 days (repeated ones weigh)
    "recency": 15,  # days since the last confirmed order
}
# Levels of the score: [0, 30) low, [30, 60) medium, [60, 100] high.
CHURN_LEVELS = ((60, "high"), (30, "medium"), (0, "low"))
# Days since the last order from which the recency signal starts / is full.
RECENCY_START_DAYS = 60
RECENCY_FULL_DAYS = 180
# The recency signal changes without anything being written on the customer:
# the refresh also takes the customers whose last order crossed these marks.
RECENCY_MARKS = (RECENCY_START_DAYS, RECENCY_FULL_DAYS)


def ratio(part, whole, scale=100.0):
    """``part / whole`` scaled (a percentage by default); ``None`` when
    ``whole`` is zero: a rate of nothing is "no data", not 0 %."""
    if not whole:
        return None
    return scale * part / whole


def nps(promoters, passives, detractors):
    """Net Promoter Score: % promoters - % detractors, from -100 to +100.
    Passives count in the total only (only passives: 0). No answer: None."""
    total = promoters + passives + detractors
    if not total:
        return None
    return 100.0 * (promoters - detractors) / total


def nps_category(score):
    """``"promoter"``, ``"passive"`` or ``"detractor"`` of a 0-10 answer."""
    if score is None:
        return False
    if score >= PROMOTER_MIN:
        return "promoter"
    if score <= DETRACTOR_MAX:
        return "detractor"
    return "passive"


def delta(current, previous):
    """Change from the previous period, in % of the previous value; ``None``
    when either is unknown or the previous value is zero."""
    if current is None or previous is None or not previous:
        return None
    return 100.0 * (current - previous) / abs(previous)


def _clamp(value, low=0.0, high=1.0):
    return max(low, min(high, value))


def churn_signals(
    mood_score=0.0,
    worsening=False,
    bad_ratings=0,
    detractor=False,
    sla_failures=0,
    complaints=0,
    days_since_order=None,
):
    """Each signal as a fraction 0..1 of its weight.

    * mood: 0 at a neutral or better mood, 1 at -100;
    * trend: 1 when the mood is worsening;
    * bad ratings: 1/2 per bad rating, full at 2;
    * detractor: 1 when the last NPS answer was a detractor's;
    * SLA failures: 1/3 per ticket that failed its SLA, full at 3;
    * complaints: one complaint is normal (0); full at 3 (a repeat);
    * recency: 0 up to 60 days since the last order, 1 from 180 days;
      a customer who never ordered has no recency signal (0).
    """
    if days_since_order is None:
        recency = 0.0
    else:
        recency = _clamp(
            (days_since_order - RECENCY_START_DAYS)
            / (RECENCY_FULL_DAYS - RECENCY_START_DAYS)
        )
    return {
        "mood": _clamp(-(mood_score or 0.0) / 100.0),
        "trend": 1.0 if worsening else 0.0,
        "bad_ratings": _clamp(bad_ratings / 2.0),
        "detractor": 1.0 if detractor else 0.0,
        "sla_failures": _clamp(sla_failures / 3.0),
        "complaints": _clamp((complaints - 1) / 2.0),
        "recency": recency,
    }


def churn_score(**signals):
    """The churn-risk score 0-100 (an integer) from the signals of
    :func:`churn_signals` (same keyword arguments)."""
    parts = churn_signals(**signals)
    return round(sum(CHURN_WEIGHTS[key] * value for key, value in parts.items()))


def churn_level(score):
    """``"low"``, ``"medium"`` or ``"high"`` of a score."""
    for threshold, level in CHURN_LEVELS:
        if score >= threshold:
            return level
    return "low"
