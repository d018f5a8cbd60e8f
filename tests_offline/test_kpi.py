"""KPI formulas and the churn-risk score (``lib/kpi.py``), without Odoo."""

from lib.kpi import (
    CHURN_WEIGHTS,
    churn_level,
    churn_score,
    delta,
    nps,
    nps_category,
    ratio,
)


def test_weights_add_up_to_100():
    assert sum(CHURN_WEIGHTS.values()) == 100


def test_ratio_of_nothing_is_unknown():
    assert ratio(0, 0) is None
    assert ratio(1, 4) == 25.0
    assert ratio(3, 2, scale=1.0) == 1.5


def test_nps_only_passives_is_zero():
    assert nps(0, 5, 0) == 0.0


def test_nps():
    # 5 promoters, 3 passives, 2 detractors: 50 % - 20 % = 30.
    assert nps(5, 3, 2) == 30.0
    assert nps(0, 0, 4) == -100.0
    assert nps(0, 0, 0) is None


def test_nps_category():
    assert [nps_category(s) for s in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    assert nps_category(None) is False


def test_delta():
    assert delta(12, 10) == 20.0
    assert delta(5, 0) is None
    assert delta(None, 3) is None
    assert delta(-5, -10) == 50.0


def test_churn_score_of_a_quiet_customer_is_zero():
    assert churn_score() == 0
    assert churn_level(0) == "low"


def test_churn_score_worst_case_is_100():
    assert (
        churn_score(
            mood_score=-100,
            worsening=True,
            bad_ratings=5,
            detractor=True,
            sla_failures=4,
            complaints=3,
            days_since_order=400,
        )
        == 100
    )


def test_churn_score_by_hand():
    # mood -40 -> 0.4 * 25 = 10; worsening 10; one bad rating 0.5 * 15 = 7.5;
    # detractor 15; one SLA failure 10/3; two complaints 0.5 * 10 = 5;
    # 120 days since the last order: (120 - 60) / 120 = 0.5 * 15 = 7.5.
    # 10 + 10 + 7.5 + 15 + 3.33 + 5 + 7.5 = 58.33 -> 58, medium.
    score = churn_score(
        mood_score=-40,
        worsening=True,
        bad_ratings=1,
        detractor=True,
        sla_failures=1,
        complaints=2,
        days_since_order=120,
    )
    assert score == 58
    assert churn_level(score) == "medium"
    assert churn_level(60) == "high"
    assert churn_level(29) == "low"


def test_one_complaint_and_a_happy_mood_are_no_risk():
    assert churn_score(mood_score=80, complaints=1, days_since_order=10) == 0
