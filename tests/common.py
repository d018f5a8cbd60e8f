from odoo.addons.base.tests.common import BaseCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class CareCommon(BaseCommon):
    """Users, teams, stages and customers shared by the model tests.

    No demo data is used: every record a test relies on is created here.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Sao Việt Đà Nẵng"})
        new_user = mail_new_test_user  # a user with an email, so mail can be routed
        cls.user_agent = new_user(
            cls.env,
            login="cc_agent",
            name="Nguyễn Thị Lan",
            email="lan@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user",
        )
        cls.user_agent_2 = new_user(
            cls.env,
            login="cc_agent2",
            name="Trần Văn Minh",
            email="minh@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user",
        )
        cls.user_agent_3 = new_user(
            cls.env,
            login="cc_agent3",
            name="Lê Thị Hương",
            email="huong@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user",
        )
        cls.user_outsider = new_user(
            cls.env,
            login="cc_outsider",
            name="Phạm Quốc Bảo",
            email="bao@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user",
        )
        cls.user_manager = new_user(
            cls.env,
            login="cc_manager",
            name="Đặng Hoàng Nam",
            email="nam@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_manager",
        )
        cls.stage_new = cls.env.ref("customer_care.care_stage_new")
        cls.stage_progress = cls.env.ref("customer_care.care_stage_in_progress")
        cls.stage_waiting = cls.env.ref("customer_care.care_stage_waiting")
        cls.stage_solved = cls.env.ref("customer_care.care_stage_solved")
        cls.team = cls.env["care.team"].create(
            {
                "name": "Tổng đài Hà Nội",
                "member_ids": [(6, 0, (cls.user_agent | cls.user_agent_2).ids)],
                "leader_id": cls.user_manager.id,
            }
        )
        cls.team_tech = cls.env["care.team"].create(
            {"name": "Kỹ thuật", "member_ids": [(6, 0, cls.user_agent_3.ids)]}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Nguyễn Văn An",
                "email": "an.nguyen@example.com",
                "phone": "0912.345.678",
            }
        )
        cls.customer_company = cls.env["res.partner"].create(
            {"name": "Công ty TNHH Minh An", "is_company": True}
        )
        cls.customer_colleague = cls.env["res.partner"].create(
            {
                "name": "Hoàng Thị Trang",
                "email": "trang@minhan.example.com",
                "parent_id": cls.customer_company.id,
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Võ Thị Mai", "email": "mai.vo@example.com"}
        )
        cls.user_portal = new_user(
            cls.env,
            login="cc_portal",
            name="Hoàng Thị Trang (portal)",
            email="trang.portal@minhan.example.com",
            groups="base.group_portal",
        )
        cls.user_portal.partner_id.parent_id = cls.customer_company

    @classmethod
    def _ticket(cls, **values):
        values.setdefault("name", "Máy giặt không vắt được")
        values.setdefault("team_id", cls.team.id)
        values.setdefault("partner_id", cls.customer.id)
        return cls.env["care.ticket"].create(values)
