from odoo import fields, models
from odoo.tools import SQL


class CareScenarioRun(models.Model):
    """The log of care scenarios fired: one line per (scenario, entry).

    The unique index is what makes a scenario fire once per entry, even when
    two workers handle the same entry at the same moment: see ``_claim``."""

    _name = "care.scenario.run"
    _description = "Care Scenario Run"
    _order = "id desc"

    scenario_id = fields.Many2one(
        "care.scenario", required=True, index=True, ondelete="cascade"
    )
    entry_id = fields.Many2one(
        "care.emotion.entry", required=True, index=True, ondelete="cascade"
    )
    ticket_id = fields.Many2one("care.ticket", index="btree_not_null")
    partner_id = fields.Many2one(
        related="entry_id.partner_id", string="Customer", store=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    note = fields.Text(help="What the scenario did, or why an action was skipped.")

    _scenario_entry_uniq = models.UniqueIndex(
        "(scenario_id, entry_id)", "A scenario fires once per journal entry."
    )

    def _claim(self, scenario, entry):
        """Insert the run line unless it exists; return the new run or an empty
        recordset. ``ON CONFLICT DO NOTHING`` on the unique index: a second
        transaction waits for the first and then inserts nothing, so the
        actions run once without a serialization error.

        The one raw INSERT into a table of the module, for correctness, not
        speed: ``create()`` has no "insert unless it exists"; in a savepoint it
        would raise the unique violation (logged by Odoo as a bad query) and
        roll back, where this statement answers "already claimed" quietly.
        The columns are the model's own: nothing overrides ``create()`` here."""
        now = fields.Datetime.now()
        rows = self.env.execute_query(
            SQL(
                """
                INSERT INTO care_scenario_run
                    (scenario_id, entry_id, ticket_id, partner_id, date,
                     create_uid, create_date, write_uid, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (scenario_id, entry_id) DO NOTHING
                RETURNING id
                """,
                scenario.id,
                entry.id,
                entry.ticket_id.id or None,
                entry.partner_id.id or None,
                now,
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
        )
        return self.browse(rows[0][0]) if rows else self.browse()
