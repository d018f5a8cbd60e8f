from odoo import api, fields, models

OUTCOMES = [
    ("open", "Still Open"),
    ("resolved", "Resolved by Target Team"),
    ("returned", "Returned"),
    ("forwarded", "Forwarded Further"),
]


class CareTicketEscalation(models.Model):
    """One escalation of a ticket to another team, written by the escalation
    wizard (wizard/care_ticket_escalate.py): who handed it over, when, why,
    and what came of it.

    The outcome follows the ticket: *still open* while the target team has
    it, *resolved* once it closes there, *returned* when it goes back to the
    team it came from, *forwarded* when it moves on to a third team."""

    _name = "care.ticket.escalation"
    _description = "Ticket Escalation"
    _order = "date desc, id desc"
    _rec_name = "ticket_id"
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "care.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    type_id = fields.Many2one(
        related="ticket_id.type_id",
        store=True,
        precompute=True,
        string="Ticket Type",
    )
    from_team_id = fields.Many2one("care.team", index=True)
    to_team_id = fields.Many2one("care.team", required=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Escalated by",
        required=True,
        default=lambda self: self.env.user,
    )
    assignee_id = fields.Many2one("res.users", string="Handed to")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    reason_id = fields.Many2one(
        "care.escalation.reason", required=True, ondelete="restrict"
    )
    note = fields.Html()
    sla_restarted = fields.Boolean(
        string="SLA Restarted",
        help="The SLA clocks were restarted under the target team's policies.",
    )
    outcome = fields.Selection(
        OUTCOMES,
        compute="_compute_outcome",
        store=True,
        index=True,
    )

    @api.depends(
        "ticket_id.team_id",
        "ticket_id.is_closed",
        "ticket_id.escalation_ids.date",
        "to_team_id",
        "from_team_id",
    )
    def _compute_outcome(self):
        for escalation in self:
            ticket = escalation.ticket_id
            later = ticket.escalation_ids.filtered(
                lambda e, this=escalation: (e.date, e.id) > (this.date, this.id or 0)
            )
            if later:
                left_for = later.sorted(lambda e: (e.date, e.id))[0].to_team_id
            elif ticket.team_id != escalation.to_team_id:
                left_for = ticket.team_id
            else:
                escalation.outcome = "resolved" if ticket.is_closed else "open"
                continue
            escalation.outcome = (
                "returned" if left_for == escalation.from_team_id else "forwarded"
            )

    # ---- personal data (models/care_privacy.py) ----

    @api.model
    def _care_personal_data(self, partners):
        """Escalations of the person's tickets: exported; on erasure the
        hand-over note goes (it retells the customer's case), the row stays for
        the escalation statistics."""
        escalations = self.search(
            [("ticket_id.partner_id", "in", partners.ids)], order="date, id"
        )
        return [
            {
                "records": escalations,
                "export": [
                    "ticket_id",
                    "date",
                    "from_team_id",
                    "to_team_id",
                    "reason_id",
                    "note",
                    "outcome",
                ],
                "erase": {"note": False},
            }
        ]
