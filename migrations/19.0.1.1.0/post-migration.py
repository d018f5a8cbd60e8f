"""Record rules are ``noupdate``: an upgrade keeps the domains a database was
installed with. Databases installed before 19.0.1.1.0 get the agents' rules
that read the user's teams once (``user.care_team_ids``) instead of joining the
team table and its members for every ticket or SLA line.

The single-column index on ``care_ticket.partner_email`` gave way to
``care_ticket_partner_email_idx`` (email, creation date); Odoo does not drop the
index of a field that stops being indexed."""

from odoo import SUPERUSER_ID, api

RULES = {
    "customer_care.care_ticket_rule_user": (
        "['|', ('user_id', '=', user.id), ('team_id', 'in', user.care_team_ids.ids)]"
    ),
    "customer_care.care_ticket_sla_rule_user": (
        "['|', ('ticket_id.user_id', '=', user.id), "
        "('ticket_id.team_id', 'in', user.care_team_ids.ids)]"
    ),
}


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS care_ticket__partner_email_index")
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
