import importlib.util

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged, users
from odoo.tests.common import JsonRpcException
from odoo.tools.misc import file_path

from .common import CareCommon


class TestCareAccess(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket()  # team Hà Nội: cc_agent and cc_agent2
        cls.ticket_tech = cls._ticket(team_id=cls.team_tech.id)  # cc_agent3 only
        cls.ticket_company = cls._ticket(partner_id=cls.customer_colleague.id)
        cls.team_c2 = cls.env["care.team"].create(
            {
                "name": "Đà Nẵng",
                "company_id": cls.company_2.id,
                "member_ids": [(6, 0, cls.user_agent.ids)],
            }
        )
        cls.ticket_c2 = cls.env["care.ticket"].create(
            {
                "name": "Chi nhánh khác",
                "team_id": cls.team_c2.id,
                "company_id": cls.company_2.id,
            }
        )

    @users("cc_agent")
    def test_agent_sees_team_tickets_only(self):
        Ticket = self.env["care.ticket"]
        visible = Ticket.search([])
        self.assertIn(self.ticket, visible)
        self.assertNotIn(self.ticket_tech, visible)
        with self.assertRaises(AccessError):
            Ticket.browse(self.ticket_tech.id).read(["name"])
        ticket = Ticket.browse(self.ticket.id)
        ticket.write({"priority": "2"})
        self.assertEqual(ticket.priority, "2")
        with self.assertRaises(AccessError):
            ticket.unlink()

    @users("cc_agent3")
    def test_agent_sees_own_ticket_outside_team(self):
        self.ticket.sudo().user_id = self.user_agent_3
        self.assertEqual(
            self.env["care.ticket"].browse(self.ticket.id).name, self.ticket.name
        )

    @users("cc_outsider")
    def test_agent_outside_teams_sees_nothing(self):
        self.assertFalse(self.env["care.ticket"].search([]))
        with self.assertRaises(AccessError):
            self.env["care.ticket"].browse(self.ticket.id).read(["name"])

    def test_team_membership_change_applies_at_once(self):
        Ticket = self.env["care.ticket"].with_user(self.user_outsider)
        self.assertNotIn(self.ticket_tech, Ticket.search([]))
        self.team_tech.member_ids |= self.user_outsider
        self.assertIn(self.ticket_tech, Ticket.search([]), "joined: sees the queue")
        self.team_tech.member_ids -= self.user_outsider
        self.assertNotIn(self.ticket_tech, Ticket.search([]), "left: no longer")
        self.team_tech.leader_id = self.user_outsider
        self.assertIn(self.ticket_tech, Ticket.search([]), "a leader sees it")

    @users("cc_agent")
    def test_other_company_hidden(self):
        Ticket = self.env["care.ticket"]
        self.assertNotIn(self.ticket_c2, Ticket.search([]))
        with self.assertRaises(AccessError):
            Ticket.browse(self.ticket_c2.id).read(["name"])

    @users("cc_manager")
    def test_manager_sees_all_of_company(self):
        visible = self.env["care.ticket"].search([])
        self.assertIn(self.ticket, visible)
        self.assertIn(self.ticket_tech, visible)
        self.env["care.ticket"].browse(self.ticket_tech.id).unlink()
        self.assertFalse(self.ticket_tech.exists())

    @users("cc_agent")
    def test_agent_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.env["care.team"].browse(self.team.id).write({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["care.stage"].create({"name": "X"})

    @users("cc_portal")
    def test_portal_reads_own_company_only(self):
        Ticket = self.env["care.ticket"]
        self.assertEqual(Ticket.search([]), self.ticket_company)
        with self.assertRaises(AccessError):
            Ticket.browse(self.ticket.id).read(["name"])
        own = Ticket.browse(self.ticket_company.id)
        self.assertEqual(own.name, self.ticket_company.name)
        with self.assertRaises(AccessError):
            own.write({"name": "Changed"})
        with self.assertRaises(AccessError):
            Ticket.create({"name": "New", "partner_id": self.customer_colleague.id})

    def test_upgrade_gives_old_databases_the_team_rules(self):
        """Rules are noupdate: the 19.0.1.1.0 migration rewrites the agents'
        rules of databases installed with the older domains, which joined the
        team and its members for every row."""
        path = file_path("customer_care/migrations/19.0.1.1.0/post-migration.py")
        spec = importlib.util.spec_from_file_location("care_migration_1_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        rule = self.env.ref("customer_care.care_ticket_rule_user")
        rule.domain_force = (
            "['|', '|', ('user_id', '=', user.id), "
            "('team_id.member_ids', 'in', user.id), "
            "('team_id.leader_id', '=', user.id)]"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS care_ticket__partner_email_index "
            "ON care_ticket (partner_email)"
        )
        migration.migrate(self.env.cr, "19.0.1.0.0")
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = "
            "'care_ticket__partner_email_index'"
        )
        self.assertFalse(self.env.cr.fetchone(), "the old email index is dropped")
        self.assertIn("user.care_team_ids.ids", rule.domain_force)
        self.assertNotIn("member_ids", rule.domain_force)
        agent_tickets = self.env["care.ticket"].with_user(self.user_agent_3).search([])
        self.assertEqual(agent_tickets, self.ticket_tech)


@tagged("post_install", "-at_install")
class TestCareAccessRpc(HttpCase, CareCommon):
    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_rpc(self):
        own = self._ticket(partner_id=self.customer_colleague.id)
        other = self._ticket()
        self.authenticate("cc_portal", "cc_portal")
        rows = self._call("care.ticket", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual([r["id"] for r in rows], [own.id])
        with self.assertRaises(JsonRpcException) as denied:
            self._call("care.ticket", "read", [[other.id], ["name"]])
        self.assertIn("AccessError", str(denied.exception))
        with (
            self.assertRaises(JsonRpcException) as denied,
            self.assertLogs("odoo.http", "WARNING"),  # the denial is logged
        ):
            self._call(
                "care.ticket", "write", [[own.id], {"stage_id": self.stage_solved.id}]
            )
        self.assertIn("AccessError", str(denied.exception))
        self.assertNotEqual(own.stage_id, self.stage_solved)
