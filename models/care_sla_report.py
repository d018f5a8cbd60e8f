from odoo import fields, models
from odoo.tools import SQL

from .care_sla import TARGET_KINDS
from .care_ticket import PRIORITIES
from .care_ticket_sla import LINE_STATUS

FAILURE_CAUSES = [
    ("late", "Reached Late"),
    ("not_reached", "Not Reached"),
]


class CareSlaReport(models.Model):
    """SLA analysis: one row per status line with its ticket's team, agent,
    type and month, and measures whose average is the success rate and the
    working time to first response and to resolution."""

    _name = "care.sla.report"
    _description = "SLA Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("care.ticket", readonly=True)
    sla_id = fields.Many2one("care.sla", string="Policy", readonly=True)
    target_id = fields.Many2one("care.sla.target", readonly=True)
    kind = fields.Selection(TARGET_KINDS, string="Target Kind", readonly=True)
    status = fields.Selection(LINE_STATUS, readonly=True)
    failure_cause = fields.Selection(FAILURE_CAUSES, readonly=True)
    team_id = fields.Many2one("care.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    type_id = fields.Many2one("care.ticket.type", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(string="Ticket Created on", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_at = fields.Datetime(string="Reached on", readonly=True)
    success_rate = fields.Float(
        string="Success Rate (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the decided targets (reached or failed) reached in time. "
        "Cancelled targets (open when the ticket was closed, and not late) are "
        "not counted.",
    )
    failed_count = fields.Integer(string="Failures", aggregator="sum", readonly=True)
    cancelled_count = fields.Integer(
        string="Cancelled Targets", aggregator="sum", readonly=True
    )
    hours_used = fields.Float(string="Time Used (h)", aggregator="avg", readonly=True)
    hours_exceeded = fields.Float(
        string="Time Exceeded (h)", aggregator="avg", readonly=True
    )
    first_response_hours = fields.Float(
        string="Time to First Response (h)", aggregator="avg", readonly=True
    )
    resolution_hours = fields.Float(
        string="Time to Resolution (h)", aggregator="avg", readonly=True
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id AS id,
                   line.ticket_id,
                   line.sla_id,
                   line.target_id,
                   line.kind,
                   line.status,
                   CASE WHEN line.status = 'failed' AND line.reached_at IS NOT NULL
                        THEN 'late'
                        WHEN line.status = 'failed' THEN 'not_reached'
                   END AS failure_cause,
                   ticket.team_id,
                   ticket.user_id,
                   ticket.type_id,
                   ticket.priority,
                   line.company_id,
                   ticket.create_date AS date,
                   line.deadline,
                   line.reached_at,
                   -- NULL for open and cancelled lines: out of the average.
                   CASE line.status WHEN 'reached' THEN 100.0
                                    WHEN 'failed' THEN 0.0
                   END AS success_rate,
                   CASE WHEN line.status = 'failed' THEN 1 ELSE 0 END
                       AS failed_count,
                   CASE WHEN line.status = 'cancelled' THEN 1 ELSE 0 END
                       AS cancelled_count,
                   CASE WHEN line.reached_at IS NOT NULL THEN line.hours_used END
                       AS hours_used,
                   CASE WHEN line.reached_at IS NOT NULL THEN line.hours_exceeded END
                       AS hours_exceeded,
                   CASE WHEN line.kind = 'first_response'
                             AND line.reached_at IS NOT NULL
                        THEN line.hours_used END AS first_response_hours,
                   CASE WHEN line.kind = 'resolution'
                             AND line.reached_at IS NOT NULL
                        THEN line.hours_used END AS resolution_hours
              FROM %s line
              JOIN %s ticket ON ticket.id = line.ticket_id
            """,
            SQL.identifier(self.env["care.ticket.sla"]._table),
            SQL.identifier(self.env["care.ticket"]._table),
        )
