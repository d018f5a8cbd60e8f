from .common import CareCommon

VN_TZ = "Asia/Ho_Chi_Minh"


class TestCareCalendar(CareCommon):
    """New companies and teams working in Vietnam get the Vietnamese calendar
    shipped with the module (data/resource_calendar_vn_data.xml): lunch break
    and public holidays included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shipped = cls.env.ref("customer_care.resource_calendar_vn")

    def assertVietnameseCalendar(self, calendar, company):
        self.assertEqual(calendar.tz, VN_TZ)
        self.assertIn(calendar.company_id, (company, self.env["res.company"]))
        lunch = calendar.attendance_ids.filtered(lambda a: a.day_period == "lunch")
        self.assertEqual(len(lunch), 5, "a lunch break from Monday to Friday")
        self.assertEqual(set(lunch.mapped("hour_from")), {12.0})
        holidays = calendar.global_leave_ids
        self.assertEqual(
            sorted(holidays.mapped("name")),
            sorted(self.shipped.global_leave_ids.mapped("name")),
        )
        self.assertEqual(holidays.company_id, company, "holidays Odoo applies")
        self.assertEqual(
            len(calendar.care_work_data["leaves"]),
            len(self.shipped.care_work_data["leaves"]),
        )

    def test_new_vietnamese_company_and_team_get_the_calendar(self):
        company = self.env["res.company"].create(
            {"name": "Sao Việt Cần Thơ", "country_id": self.env.ref("base.vn").id}
        )
        self.assertVietnameseCalendar(company.resource_calendar_id, company)
        self.assertNotEqual(company.resource_calendar_id, self.shipped)
        self.assertFalse(self.shipped.company_id, "the shipped calendar stays shared")
        team = self.env["care.team"].create(
            {"name": "Tổng đài Cần Thơ", "company_id": company.id}
        )
        self.assertEqual(team.resource_calendar_id, company.resource_calendar_id)

    def test_team_of_a_company_on_vietnamese_time(self):
        # company_2 was made with Odoo's default 40 hours/week (no country);
        # its address then moves to Vietnam's time zone.
        standard = self.company_2.resource_calendar_id
        self.assertNotEqual(standard.tz, VN_TZ)
        self.company_2.partner_id.tz = VN_TZ
        team = self.env["care.team"].create(
            {"name": "Tổng đài Đà Nẵng", "company_id": self.company_2.id}
        )
        self.assertVietnameseCalendar(team.resource_calendar_id, self.company_2)
        other = self.env["care.team"].create(
            {"name": "Kỹ thuật Đà Nẵng", "company_id": self.company_2.id}
        )
        self.assertEqual(
            other.resource_calendar_id, team.resource_calendar_id, "one copy"
        )
        self.assertEqual(self.company_2.resource_calendar_id, standard)

    def test_team_keeps_the_company_calendar_elsewhere(self):
        company = self.env["res.company"].create(
            {"name": "Sao Việt Singapore", "country_id": self.env.ref("base.sg").id}
        )
        team = self.env["care.team"].create(
            {"name": "Singapore", "company_id": company.id}
        )
        self.assertEqual(team.resource_calendar_id, company.resource_calendar_id)
        self.assertNotEqual(team.resource_calendar_id.tz, VN_TZ)
        self.assertFalse(
            team.resource_calendar_id.global_leave_ids, "no Vietnamese holiday"
        )
