from odoo.tests import HttpCase, tagged

from .common import CareCommon

ANGRY = "Giao hàng trễ quá, rất bực! Tôi muốn hoàn tiền ngay, lừa đảo à?"


@tagged("post_install", "-at_install")
class TestCareVietnameseTours(HttpCase, CareCommon):
    """Browser tours over the main pages in Vietnamese (issue 11).

    The backend tours (static/tests/tours/care_backend_vi_tour.js) walk the
    overview, the tickets kanban and list, a ticket form and each of its tabs, the
    emotion journal and, for a manager, SLA and ticket analysis and the settings;
    the portal tour (care_portal_vi_tour.js) walks /my, the tickets list, a ticket
    and the new-ticket form. Any console error fails a tour.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        # Terms of the views, menus, actions and data records (stages, emotion
        # labels) in the database; the JavaScript labels come from the .po files.
        cls.env["ir.module.module"]._load_module_terms(
            ["customer_care", "portal"], ["vi_VN"]
        )
        cls.user_admin = cls.env.ref("base.user_admin")
        users = cls.user_manager | cls.user_agent | cls.user_portal | cls.user_admin
        users.lang = "vi_VN"
        cls.team.is_published = True
        # The new-ticket form lists topics (customer-facing names), in Vietnamese.
        topic = cls.env["care.topic"].create(
            {"name": "Orders and delivery", "team_id": cls.team.id}
        )
        topic.with_context(lang="vi_VN").name = "Đơn hàng và giao hàng"
        cls.ticket = cls._ticket(user_id=cls.user_agent.id)
        cls.ticket.message_post(
            body=ANGRY,
            author_id=cls.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        cls.ticket_portal = cls._ticket(
            name="Máy giặt kêu to", partner_id=cls.customer_colleague.id
        )
        cls.ticket_portal.message_post(
            body="Máy giặt nhà tôi kêu rất to khi vắt.",
            author_id=cls.customer_colleague.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        cls.ticket_portal.with_user(cls.user_agent).message_post(
            body="Chào chị, kỹ thuật viên sẽ gọi lại trong hôm nay.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls._ticket(
            name="Ti vi mất tiếng", partner_id=cls.other_customer.id, priority="3"
        )
        cls.env["care.article"].create(
            {
                "name": "Cách kiểm tra bảo hành điện thoại",
                "body": "<p>Nhập số IMEI trên trang bảo hành.</p>",
                "is_published": True,
            }
        )

    def _assert_ready(self):
        """What the tours rely on, so that a failure points at the data."""
        menu = self.env.ref("customer_care.care_menu_overview")
        self.assertEqual(menu.with_context(lang="vi_VN").name, "Tổng quan")
        self.assertTrue(self.ticket.sla_line_ids, "the SLA tab is shown")
        self.assertEqual(self.ticket.emotion_entry_ids.label, "angry")

    def _state(self):
        tickets = self.env["care.ticket"].search([])
        tickets.invalidate_recordset()
        return {t.id: (t.write_date, t.stage_id, len(t.message_ids)) for t in tickets}

    def test_backend_manager_vi(self):
        self._assert_ready()
        before = self._state()
        self.start_tour(
            "/odoo?debug=1", "care_backend_vi_manager", login="cc_manager", timeout=180
        )
        self.assertEqual(self._state(), before, "walking the pages changes nothing")

    def test_backend_agent_vi(self):
        self._assert_ready()
        before = self._state()
        self.start_tour("/odoo", "care_backend_vi_agent", login="cc_agent", timeout=120)
        self.assertEqual(self._state(), before, "walking the pages changes nothing")

    def test_backend_settings_vi(self):
        # A care manager who is not a Settings administrator has no Settings menu
        # (res.config.settings is for base.group_system): the administrator walks it.
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        self.assertTrue(
            self.user_admin.has_group("customer_care.customer_care_group_manager")
        )
        params = self.env["ir.config_parameter"].sudo()
        before = params.get_param("customer_care.reopen_days")
        self.start_tour("/odoo", "care_backend_vi_settings", login="admin", timeout=120)
        self.assertEqual(params.get_param("customer_care.reopen_days"), before)

    def test_portal_vi(self):
        before = self._state()
        self.start_tour("/my", "care_portal_vi", login="cc_portal", timeout=120)
        self.assertEqual(self._state(), before, "the new-ticket form was not sent")
        self.assertFalse(self.ticket_portal.is_closed)
