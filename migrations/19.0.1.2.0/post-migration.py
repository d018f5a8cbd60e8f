"""Record rules are ``noupdate``: an upgrade keeps the domains a database was
installed with. Databases installed before 19.0.1.2.0 get the journal's access
story (security/care_emotion_security.xml): an agent reads the entries she
recorded, those of tickets she can read and the journal of customers who have a
ticket she can read; managers read all. The update creates the two rules when
they are missing; this script rewrites them when an older copy exists."""

from odoo import SUPERUSER_ID, api

TICKET = "['|', ('user_id', '=', user.id), ('team_id', 'in', user.care_team_ids.ids)]"
RULES = {
    "customer_care.care_emotion_entry_rule_user": (
        f"['|', '|', ('user_id', '=', user.id), ('ticket_id', 'any', {TICKET}), "
        f"('commercial_partner_id.care_commercial_ticket_ids', 'any', {TICKET})]"
    ),
    "customer_care.care_emotion_entry_rule_manager": "[(1, '=', 1)]",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, domain in RULES.items():
        rule = env.ref(xmlid, raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
