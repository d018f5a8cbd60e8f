import random
from datetime import datetime, timedelta
from unittest.mock import patch

from markupsafe import Markup

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, freeze_time, tagged

from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

from ..lib.emotion import detect
from ..models.care_emotion_entry import MOOD_NEUTRAL_BAND, VALENCE, compute_mood
from ..models.care_emotion_label import NEGATIVE_LABELS
from .common import CareCommon

ANGRY = "Giao hàng trễ quá, rất bực! Tôi muốn hoàn tiền ngay, lừa đảo à?"
DELIGHTED = "Sản phẩm tuyệt vời quá, cảm ơn shop rất nhiều, tôi rất hài lòng!!! ^^"
DISAPPOINTED = "Thất vọng quá, sửa ba lần vẫn hỏng."
NOW = datetime(2026, 3, 2, 9, 0)  # a Monday, within working hours


@freeze_time(NOW)
class TestCareEmotion(CareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Entry = cls.env["care.emotion.entry"]
        cls.ticket = cls._ticket(user_id=cls.user_agent.id)
        cls.scenario_angry = cls.env.ref("customer_care.care_scenario_angry_callback")
        cls.scenario_closed = cls.env.ref(
            "customer_care.care_scenario_disappointed_after_close"
        )
        cls.scenario_thanks = cls.env.ref(
            "customer_care.care_scenario_delighted_thanks"
        )

    def _customer_says(self, text, ticket=None, message_type="email", author=None):
        ticket = ticket or self.ticket
        message = ticket.message_post(
            body=text,
            author_id=(author or ticket.partner_id).id,
            message_type=message_type,
            subtype_xmlid="mail.mt_comment",
        )
        return self.Entry.search([("message_id", "=", message.id)])

    def _rate(self, value, feedback=None, ticket=None):
        ticket = ticket or self.ticket
        token = ticket._rating_get_access_token()
        ticket.rating_apply(value, token=token, feedback=feedback)
        return self.Entry.search(
            [("ticket_id", "=", ticket.id), ("source", "=", "rating")]
        )

    # ---- automatic entries ----

    def test_customer_email_creates_entry_with_detected_label(self):
        entry = self._customer_says(ANGRY)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.label, detect(ANGRY)["label"])
        self.assertEqual(entry.label, "angry")
        self.assertEqual(entry.detected_label, "angry")
        self.assertEqual(entry.source, "message")
        self.assertEqual(entry.partner_id, self.customer)
        self.assertFalse(entry.user_id, "detected entries have no human author")
        self.assertFalse(entry.corrected)
        self.assertEqual(self.customer.care_mood, "angry")
        self.assertTrue(self.customer.care_is_unhappy)

    def test_quoted_history_is_not_scored(self):
        """The journal scores what the customer wrote, not the thread she quotes
        (blockquote, or the quote Odoo's gateway marks in an incoming mail)."""
        for body in (
            "<p>Giao hàng trễ quá, rất bực!</p><blockquote>…Tuyệt vời!</blockquote>",
            "<p>Giao hàng trễ quá, rất bực!</p><div data-o-mail-quote-container='1'>"
            "<p data-o-mail-quote='1'>Tuyệt vời quá, cảm ơn chị nhiều ❤️</p></div>",
        ):
            entry = self._customer_says(Markup(body))
            self.assertEqual(len(entry), 1)
            self.assertEqual(entry.label, "angry", body)

    def test_portal_message_creates_entry(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        # As the portal chatter does: access checked, then sudo() to post, the
        # author staying the portal user.
        message = (
            ticket.with_user(self.user_portal)
            .sudo()
            .message_post(
                body=DELIGHTED, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        )
        entry = self.Entry.search([("message_id", "=", message.id)])
        self.assertEqual(entry.label, "delighted")
        self.assertEqual(entry.partner_id, self.user_portal.partner_id)
        self.assertEqual(entry.commercial_partner_id, self.customer_company)
        self.assertEqual(self.customer_colleague.care_mood, "delighted")

    def test_agent_reply_and_note_create_no_entry(self):
        self.ticket.with_user(self.user_agent).message_post(
            body=ANGRY, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.ticket.with_user(self.user_agent).message_post(
            body=ANGRY, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(self.Entry.search([("ticket_id", "=", self.ticket.id)]))

    def test_one_star_rating_creates_negative_entry(self):
        entry = self._rate(1)
        self.assertEqual(len(entry), 1)
        self.assertTrue(entry.is_negative)
        self.assertEqual(entry.label, "disappointed")
        self.assertEqual(entry.rating_value, 1)
        self.assertTrue(entry.message_id, "the rating message is linked")
        self.assertEqual(
            self.Entry.search_count([("ticket_id", "=", self.ticket.id)]),
            1,
            "the rating message does not make a second entry",
        )
        # The customer changes their mind on the same rating link.
        self.ticket.rating_apply(5, token=entry.rating_id.access_token)
        self.assertEqual(self.Entry.search([("ticket_id", "=", self.ticket.id)]), entry)
        self.assertEqual(entry.label, "satisfied")
        self.assertEqual(self.customer.care_mood, "satisfied")

    def test_rating_with_angry_comment_and_five_stars(self):
        angry = self._rate(1, feedback=ANGRY)
        self.assertEqual(angry.label, "angry")
        ticket = self._ticket()
        happy = self._rate(5, ticket=ticket)
        self.assertEqual(happy.label, "satisfied")
        delighted = self._rate(5, feedback=DELIGHTED, ticket=self._ticket())
        self.assertEqual(delighted.label, "delighted")

    # ---- scenarios ----

    def test_angry_scenario_fires_exactly_once(self):
        entry = self._customer_says(ANGRY)
        runs = entry.scenario_run_ids
        self.assertEqual(runs.scenario_id, self.scenario_angry)
        self.assertEqual(self.ticket.priority, "3")
        activities = self.ticket.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.team.leader_id)
        self.assertEqual(
            activities.activity_type_id,
            self.env.ref("customer_care.mail_activity_type_care_call_back"),
        )
        self.assertTrue(activities.care_follow_up, "in the Follow-ups queue")
        self.assertEqual(activities.date_deadline, NOW.date())
        # Trigger again: re-run, and a write that re-evaluates the entry.
        entry._run_scenarios()
        entry.write({"intensity": 5})
        self.assertEqual(
            self.env["care.scenario.run"].search_count(
                [("entry_id", "=", entry.id), ("scenario_id", "=", runs.scenario_id.id)]
            ),
            1,
        )
        self.assertEqual(len(self.ticket.activity_ids), 1)

    def test_disappointed_after_closing_schedules_follow_up(self):
        self.ticket.action_close()
        self.assertTrue(self.ticket.is_closed)
        entry = self._customer_says(DISAPPOINTED)
        self.assertTrue(entry.ticket_closed)
        self.assertEqual(entry.scenario_run_ids.scenario_id, self.scenario_closed)
        activity = self.ticket.activity_ids
        self.assertEqual(activity.user_id, self.user_agent, "the ticket owner calls")
        self.assertTrue(activity.care_follow_up, "in the Follow-ups queue")
        self.assertEqual(activity.date_deadline, NOW.date() + timedelta(days=2))
        # Same feeling on an open ticket: no follow-up call.
        other = self._ticket(user_id=self.user_agent.id)
        self.assertFalse(
            self._customer_says(DISAPPOINTED, ticket=other).scenario_run_ids
        )

    def test_delighted_scenario_thanks_once_per_ticket(self):
        template = self.env.ref("customer_care.mail_template_care_ticket_thanks")
        first = self._customer_says(DELIGHTED)
        second = self._customer_says(DELIGHTED)
        self.assertEqual(first.scenario_run_ids.scenario_id, self.scenario_thanks)
        self.assertFalse(second.scenario_run_ids)
        thanks = self.ticket.message_ids.filtered(
            lambda m: m.subject and "Thank you" in m.subject
        )
        self.assertEqual(len(thanks), 1, f"{template.name} sent once")
        self.assertEqual(thanks.author_id, self.user_agent.partner_id)
        self.assertFalse(
            self.ticket.date_first_reply, "an automatic mail is not an agent reply"
        )
        self.assertNotIn("delighted", thanks.body.lower())

    def test_custom_scenario_conditions(self):
        tag = self.env["care.tag"].create({"name": "Cần quan tâm"})
        vip = self.env["res.partner.category"].create({"name": "VIP"})
        scenario = self.env["care.scenario"].create(
            {
                "name": "Repeated worry of VIPs",
                "repeat_count": 2,
                "repeat_days": 30,
                "partner_category_ids": [(6, 0, vip.ids)],
                "tag_ids": [(6, 0, tag.ids)],
                "assign_leader": True,
            }
        )
        self._customer_says(DISAPPOINTED)
        entry = self._customer_says(DISAPPOINTED)
        self.assertNotIn(scenario, entry.scenario_run_ids.scenario_id, "not a VIP")
        self.customer.category_id = vip
        entry = self._customer_says(DISAPPOINTED)
        self.assertIn(scenario, entry.scenario_run_ids.scenario_id)
        self.assertIn(tag, self.ticket.tag_ids)
        self.assertEqual(self.ticket.user_id, self.team.leader_id)

    # ---- corrections and mood ----

    def test_correction_keeps_detection_and_updates_mood(self):
        entry = self._customer_says(ANGRY)
        self.assertEqual(self.customer.care_mood, "angry")
        entry.with_user(self.user_agent).with_context(
            care_label="satisfied"
        ).action_correct_label()
        self.assertEqual(entry.label, "satisfied")
        self.assertEqual(entry.detected_label, "angry")
        self.assertTrue(entry.corrected)
        self.assertEqual(entry.corrected_by_id, self.user_agent)
        self.assertEqual(self.customer.care_mood, "satisfied")
        self.assertGreater(self.customer.care_mood_score, 0)
        # Agents' corrections are what the accuracy report counts.
        self.assertEqual(
            self.Entry.search_count(
                [("detected_label", "!=", False), ("corrected", "=", True)]
            ),
            1,
        )

    def test_mood_weighs_recent_entries_and_trend(self):
        old = NOW - timedelta(days=60)
        self.Entry.create(
            [
                {
                    "partner_id": self.customer.id,
                    "label": "angry",
                    "intensity": 4,
                    "date": old - timedelta(days=i),
                }
                for i in range(3)
            ]
        )
        self.assertEqual(self.customer.care_mood, "angry")
        self.Entry.create(
            {
                "partner_id": self.customer.id,
                "label": "satisfied",
                "intensity": 3,
                "date": NOW - timedelta(days=1),
            }
        )
        self.assertEqual(
            self.customer.care_mood, "satisfied", "one recent entry outweighs old ones"
        )
        self.assertEqual(self.customer.care_mood_trend, "improving")
        self.assertEqual(self.customer.care_last_contact_date, NOW - timedelta(days=1))
        # Pure rule: worsening when the last month is worse than before.
        label, score, trend = compute_mood(
            [
                (NOW - timedelta(days=50), "satisfied", 3, 1.0),
                (NOW - timedelta(days=2), "disappointed", 3, 1.0),
            ],
            NOW,
        )
        self.assertEqual((label, trend), ("disappointed", "worsening"))
        self.assertLess(score, 0)

    def test_mood_is_shared_by_company_contacts_and_refreshed_daily(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        self._customer_says(ANGRY, ticket=ticket)
        self.assertEqual(self.customer_company.care_mood, "angry")
        self.assertEqual(ticket.care_mood, "angry")
        self.assertEqual(
            self.env["care.ticket"].search([("partner_id.care_is_unhappy", "=", True)]),
            ticket,
        )
        with freeze_time(NOW + timedelta(days=400)):
            self.env["res.partner"]._cron_care_refresh_mood()
            self.assertFalse(self.customer_company.care_mood, "the entry is too old")

    def test_log_call_wizard_records_mood(self):
        wizard = Form(
            self.env["care.ticket.log.contact"]
            .with_user(self.user_agent)
            .with_context(default_partner_id=self.customer.id)
        )
        wizard.ticket_id = self.ticket
        wizard.notes = "Khách rất bực vì giao trễ, đòi hoàn tiền"
        self.assertEqual(wizard.care_mood, "angry")
        wizard.care_mood = "disappointed"
        wizard.care_mood_cause = "delivery"
        wizard.save().action_log()
        entry = self.Entry.search([("source", "=", "call_note")])
        self.assertEqual(entry.label, "disappointed")
        self.assertEqual(entry.detected_label, "angry")
        self.assertEqual(entry.cause, "delivery")
        self.assertEqual(entry.user_id, self.user_agent)
        self.assertEqual(entry.ticket_id, self.ticket)

    def test_journal_started_from_existing_tickets(self):
        ticket = self._ticket(description=f"<p>{ANGRY}</p>")
        self._ticket(description="<p></p>")
        entries = self.Entry._create_from_ticket_descriptions()
        self.assertEqual(entries.ticket_id, ticket)
        self.assertEqual(entries.label, "angry")
        self.assertFalse(entries.scenario_run_ids, "history fires no scenario")
        self.assertNotEqual(ticket.priority, "3")
        self.assertFalse(self.Entry._create_from_ticket_descriptions(), "idempotent")

    # ---- privacy ----

    def test_portal_user_sees_no_emotion_data(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        self._customer_says(ANGRY, ticket=ticket)
        portal_env = self.env(user=self.user_portal)
        with self.assertRaises(AccessError):
            portal_env["care.emotion.entry"].search([])
        with self.assertRaises(AccessError):
            portal_env["res.partner"].browse(self.customer_company.id).read(
                ["care_mood"]
            )
        with self.assertRaises(AccessError):
            portal_env["care.ticket"].browse(ticket.id).read(["care_mood_trend"])
        with self.assertRaises(AccessError):
            portal_env["care.scenario"].search([])
        # The portal user can still read the ticket itself.
        self.assertEqual(portal_env["care.ticket"].browse(ticket.id).name, ticket.name)

    def test_erase_emotion_data(self):
        self._customer_says(ANGRY)
        self._rate(1)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_agent).action_care_erase_emotion_data()
        self.customer.with_user(self.user_manager).action_care_erase_emotion_data()
        self.assertFalse(self.Entry.search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(
            self.env["care.scenario.run"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )
        self.assertFalse(self.customer.care_mood)
        self.assertFalse(self.customer.care_last_contact_date)

    def test_export_emotion_data(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        self._customer_says(ANGRY, ticket=ticket)
        rows = self.customer_company.with_user(
            self.user_agent
        )._care_emotion_export_rows()
        self.assertEqual(len(rows), 2, "a header and the colleague's entry")
        self.assertIn("Angry", rows[1])
        self.assertIn(self.customer_colleague.display_name, rows[1])
        with self.assertRaises(AccessError):
            self.customer_company.with_user(
                self.user_portal
            )._care_emotion_export_rows()

    # ---- the mood follows the journal (issue 11) ----

    def _entry(self, partner, label, days=0.0, **values):
        return self.Entry.create(
            {
                "partner_id": partner.id,
                "label": label,
                "intensity": values.pop("intensity", 3),
                "date": NOW - timedelta(days=days),
                **values,
            }
        )

    def test_mood_follows_added_corrected_and_removed_entries(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        Entry = self.Entry.with_user(self.user_agent)
        entry = Entry.create(
            {
                "partner_id": self.customer_colleague.id,
                "ticket_id": ticket.id,
                "detected_label": "angry",
                "label": "angry",
                "intensity": 4,
            }
        )
        # Added: the company, its contacts and the ticket follow at once.
        self.assertEqual(self.customer_company.care_mood, "angry")
        self.assertEqual(self.customer_colleague.care_mood, "angry")
        self.assertEqual(ticket.care_mood, "angry")
        self.assertTrue(self.customer_company.care_is_unhappy)
        # Corrected by an agent.
        entry.with_context(care_label="delighted").action_correct_label()
        self.assertTrue(entry.corrected)
        self.assertEqual(self.customer_company.care_mood, "delighted")
        self.assertEqual(ticket.care_mood, "delighted")
        self.assertFalse(self.customer_colleague.care_is_unhappy)
        self.assertGreater(self.customer_colleague.care_mood_score, 0)
        # Removed by a manager.
        entry.with_user(self.user_manager).unlink()
        self.assertFalse(self.customer_company.care_mood)
        self.assertFalse(self.customer_colleague.care_mood_trend)
        self.assertFalse(ticket.care_mood)

    def test_mood_is_recomputed_once_per_batch(self):
        Entry = type(self.Entry)
        real = Entry._mood_by_partner
        calls = []

        def counted(model, partners):
            calls.append(partners)
            return real(model, partners)

        with patch.object(Entry, "_mood_by_partner", counted):
            self.Entry.create(
                [
                    {"partner_id": self.customer.id, "label": "angry"},
                    {"partner_id": self.customer.id, "label": "worried"},
                    {"partner_id": self.customer_colleague.id, "label": "delighted"},
                    {"partner_id": self.other_customer.id, "label": "satisfied"},
                ]
            )
            self.env.flush_all()
        self.assertEqual(len(calls), 1, "one computation for the whole batch")
        self.assertEqual(
            calls[0],
            self.customer | self.customer_company | self.other_customer,
        )
        self.assertEqual(self.customer.care_mood, "angry")
        self.assertEqual(self.customer_colleague.care_mood, "delighted")
        self.assertEqual(self.other_customer.care_mood, "satisfied")

    def test_mood_follows_the_sign_of_the_score(self):
        # Negatives spread over three labels against six neutral entries: the
        # heaviest single label is "neutral", the customer is not.
        entries = [
            (NOW - timedelta(days=1), "angry", 2, 1.0),
            (NOW - timedelta(days=2), "worried", 3, 1.0),
            (NOW - timedelta(days=3), "disappointed", 2, 1.0),
        ] + [(NOW - timedelta(hours=12 + i), "neutral", 3, 1.0) for i in range(6)]
        label, score, _trend = compute_mood(entries, NOW)
        self.assertLessEqual(score, -MOOD_NEUTRAL_BAND)
        self.assertEqual(label, "worried", "the heaviest negative label")
        # Near zero: neutral.
        label, score, _trend = compute_mood(
            [
                (NOW - timedelta(days=1), "satisfied", 1, 1.0),
                (NOW - timedelta(days=1), "worried", 2, 1.0),
                (NOW - timedelta(days=1), "neutral", 3, 1.0),
            ],
            NOW,
        )
        self.assertLess(abs(score), MOOD_NEUTRAL_BAND)
        self.assertEqual(label, "neutral")
        # Three faint negatives after ten delighted days: the score is still
        # positive, the mood is not.
        entries = [
            (NOW - timedelta(days=1 + i), "delighted", 5, 1.0) for i in range(10)
        ] + [(NOW - timedelta(hours=1 + i), "worried", 1, 0.5) for i in range(3)]
        label, score, _trend = compute_mood(entries, NOW)
        self.assertGreater(score, 0)
        self.assertEqual(label, "worried")

    def test_last_three_negative_entries_never_give_a_good_mood(self):
        rng = random.Random(11)
        labels = list(VALENCE)
        checked = 0
        for _journal in range(500):
            entries = [
                (
                    NOW - timedelta(days=rng.uniform(0, 200)),
                    rng.choice(labels),
                    rng.randint(1, 5),
                    rng.choice([0.3, 0.7, 1.0]),
                )
                for _entry in range(rng.randint(3, 12))
            ]
            last = sorted(entries, reverse=True)[:3]
            if all(label in NEGATIVE_LABELS for _date, label, _i, _c in last):
                checked += 1
                label, _score, _trend = compute_mood(entries, NOW)
                self.assertIn(label, NEGATIVE_LABELS, entries)
        self.assertGreater(checked, 5)

    def test_ticket_mood_agrees_with_its_emotions(self):
        # Ticket CC/…4 of the demo: four calm messages on other tickets, then
        # "Tức giận 5/5" on this one; the form said "Bình thường".
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        other = self._ticket(partner_id=self.customer_company.id)
        for days in (10, 11, 12, 13):
            self._entry(self.customer_company, "neutral", days, ticket_id=other.id)
        self._entry(
            self.customer_colleague, "angry", 1, ticket_id=ticket.id, intensity=5
        )
        self.assertEqual(ticket.emotion_entry_ids.label, "angry")
        self.assertEqual(self.customer_company.care_mood, "angry")
        ticket_as_agent = ticket.with_user(self.user_agent)
        self.assertEqual(ticket_as_agent.read(["care_mood"])[0]["care_mood"], "angry")
        self.assertEqual(ticket.care_mood, self.customer_company.care_mood)

    # ---- one access story: entries, moods, reports, overview (issue 11) ----

    def test_agent_reads_only_the_journal_of_her_customers(self):
        # user_agent is in self.team; other_customer only has a ticket with
        # the technical team (user_agent_3).
        tech_ticket = self._ticket(
            partner_id=self.other_customer.id, team_id=self.team_tech.id
        )
        foreign = self._entry(self.other_customer, "angry", 1, ticket_id=tech_ticket.id)
        foreign_manual = self._entry(self.other_customer, "worried", 2)
        mine = self._entry(self.customer, "disappointed", 1, ticket_id=self.ticket.id)
        agent_env = self.env(user=self.user_agent)
        Entry = agent_env["care.emotion.entry"]
        self.assertEqual(Entry.search([]), mine)
        with self.assertRaises(AccessError):
            Entry.browse(foreign.id).read(["label"])
        with self.assertRaises(AccessError):
            Entry.browse(foreign_manual.id).read(["label"])
        # Reports and counts are those of the entries she reads.
        self.assertEqual(
            Entry._read_group([], ["commercial_partner_id"], ["__count"]),
            [(self.customer.with_env(agent_env), 1)],
        )
        partner = agent_env["res.partner"].browse(self.other_customer.id)
        self.assertEqual(partner.care_emotion_count, 0)
        self.assertEqual(len(partner._care_emotion_export_rows()), 1, "header only")
        # Moods: a summary of the journal, read like it (list, form, read()).
        fnames = ["care_mood", "care_mood_score", "care_is_unhappy"]
        self.assertEqual(self.other_customer.care_mood, "angry")
        self.assertEqual(
            partner.read(fnames)[0],
            {
                "id": partner.id,
                "care_mood": False,
                "care_mood_score": 0.0,
                "care_is_unhappy": False,
            },
        )
        own = agent_env["res.partner"].browse(self.customer.id)
        self.assertEqual(own.read(["care_mood"])[0]["care_mood"], "disappointed")
        # The agent of the other team reads that customer's whole journal...
        tech_env = self.env(user=self.user_agent_3)
        self.assertEqual(
            tech_env["care.emotion.entry"].search([]), foreign | foreign_manual
        )
        self.assertEqual(
            tech_env["res.partner"]
            .browse(self.other_customer.id)
            .read(["care_mood"])[0]["care_mood"],
            "angry",
        )
        # ...and a manager everything.
        self.assertEqual(
            self.env(user=self.user_manager)["care.emotion.entry"].search([]),
            foreign | foreign_manual | mine,
        )

    def test_agent_reads_the_entries_she_records(self):
        # No ticket, no team: she still reads the call note she wrote.
        entry = self.env(user=self.user_outsider)["care.emotion.entry"].create(
            {
                "partner_id": self.other_customer.id,
                "label": "worried",
                "source": "call_note",
            }
        )
        self.assertEqual(entry.read(["label"])[0]["label"], "worried")
        self.assertFalse(
            self.env(user=self.user_agent)["care.emotion.entry"].search(
                [("id", "=", entry.id)]
            )
        )

    def test_overview_shows_the_teams_an_agent_can_open(self):
        self._ticket(priority="3")
        self._ticket(team_id=self.team_tech.id, priority="3")
        Team = self.env(user=self.user_agent)["care.team"]
        overview = Team.search([("in_overview", "=", True)])
        self.assertEqual(overview, self.team)
        self.assertEqual(
            Team.browse((self.team | self.team_tech).ids).mapped("in_overview"),
            [True, False],
        )
        Ticket = self.env(user=self.user_agent)["care.ticket"]
        for team in overview:
            domain = [("team_id", "=", team.id), ("is_closed", "=", False)]
            self.assertEqual(team.ticket_open_count, Ticket.search_count(domain))
            self.assertEqual(
                team.ticket_urgent_count,
                Ticket.search_count(domain + [("priority", "=", "3")]),
            )
        self.assertEqual(self.team.with_env(Team.env).ticket_urgent_count, 1)
        # A ticket of the other team given to her puts that team on her overview.
        self._ticket(team_id=self.team_tech.id, user_id=self.user_agent.id)
        overview = Team.search([("in_overview", "=", True)])
        self.assertEqual(overview, self.team | self.team_tech)
        self.assertEqual(self.team_tech.with_env(Team.env).ticket_open_count, 1)
        self.assertFalse(
            Team.browse(self.team_tech.id).ticket_urgent_count,
            "the urgent ticket of that team is not hers to open",
        )
        managers = self.env(user=self.user_manager)["care.team"]
        self.assertEqual(
            managers.search([("in_overview", "=", True)]), self.team | self.team_tech
        )


@tagged("post_install", "-at_install")
class TestCareEmotionHttp(HttpCase, CareCommon):
    """Over HTTP: the customer's portal page shows no emotion; a care user
    downloads the journal as CSV, a portal user cannot."""

    def test_portal_page_and_export(self):
        ticket = self._ticket(partner_id=self.customer_colleague.id)
        ticket.message_post(
            body=ANGRY,
            author_id=self.customer_colleague.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(self.customer_company.care_mood, "angry")
        self.authenticate("cc_portal", "cc_portal")
        res = self.url_open(f"/my/tickets/{ticket.id}")
        self.assertEqual(res.status_code, 200)
        self.assertIn(ticket.name, res.text)
        for leak in ("care_mood", "Customer Mood", "Angry", "Emotion"):
            self.assertNotIn(leak, res.text)
        url = f"/customer_care/emotion_export/{self.customer_company.id}"
        with self.assertLogs("odoo.http", "WARNING"):  # the refusal is logged
            res = self.url_open(url, allow_redirects=False)
        self.assertNotEqual(res.status_code, 200, "portal users get no export")
        self.assertNotIn("Angry", res.text)
        self.authenticate("cc_agent", "cc_agent")
        res = self.url_open(url)
        self.assertEqual(res.status_code, 200)
        self.assertIn("text/csv", res.headers["Content-Type"])
        self.assertIn("Angry", res.text)


@tagged("post_install", "-at_install")
class TestCareEmotionMailGateway(MailCommon):
    """A real email routed to a team alias lands in the journal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = mail_new_test_user(
            cls.env,
            login="cc_emo_agent",
            name="Nguyễn Thị Lan",
            email="lan.emo@saoviet.example.com",
            groups="base.group_user,customer_care.customer_care_group_user",
        )
        cls.team = cls.env["care.team"].create(
            {
                "name": "Tổng đài Hà Nội",
                "alias_name": "camxuc",
                "member_ids": [(6, 0, cls.agent.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Nguyễn Văn An", "email": "an.nguyen@example.com"}
        )

    def test_incoming_email_creates_entry(self):
        with self.mock_mail_gateway():
            ticket = self.format_and_process(
                "From: {email_from}\nTo: {to}\nSubject: {subject}\n"
                "Message-ID: {msg_id}\n"
                'Content-Type: text/plain; charset="utf-8"\n\n' + ANGRY + "\n",
                self.customer.email_formatted,
                f"camxuc@{self.alias_domain}",
                subject="Đơn hàng SV-2026-10452",
                target_model="care.ticket",
            )
        self.assertEqual(len(ticket), 1)
        entry = self.env["care.emotion.entry"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.label, detect(ANGRY)["label"])
        self.assertEqual(entry.source, "message")
        self.assertEqual(entry.partner_id, self.customer)
        self.assertEqual(entry.message_id.message_type, "email")
        self.assertEqual(ticket.priority, "3", "the angry scenario raised the priority")
