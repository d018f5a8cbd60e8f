from odoo.tests import HttpCase, tagged

from .common import CareCommon


@tagged("post_install", "-at_install")
class TestKpiDashboardTour(HttpCase, CareCommon):
    """The dashboard in the browser: a manager clicks a figure down to the
    tickets it counts (static/tests/tours/care_dashboard_tour.js)."""

    def test_manager_drills_down_to_tickets(self):
        for name in (
            "Máy giặt không vắt được",
            "Ti vi mất tiếng",
            "Tủ lạnh không lạnh",
        ):
            self._ticket(name=name, user_id=self.user_agent.id)
        self.start_tour(
            "/odoo", "care_dashboard_manager", login="cc_manager", timeout=120
        )
        self.assertEqual(
            self.env["care.ticket"].search_count([]), 3, "the tour changed nothing"
        )
