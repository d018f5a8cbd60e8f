"""Record rules are ``noupdate``: an upgrade keeps the domains a database was
installed with. Databases installed before 19.0.1.1.0 get the agents' rules
that read the user's teams once (``user.care_team_ids``) instead of joining the
team table and its members for every ticket or SLA line."""

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
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
