"""Shipped care scenarios are ``noupdate``. Databases installed before
19.0.1.5.0 scheduled their call-backs as Odoo's generic "Call" activity, which
the Follow-ups queue does not show: the two shipped scenarios that call the
customer back now plan a "Call back" follow-up, unless someone chose another
activity type since."""

from odoo import SUPERUSER_ID, api

CALL_BACK_SCENARIOS = (
    "customer_care.care_scenario_angry_callback",
    "customer_care.care_scenario_disappointed_after_close",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    generic = env.ref("mail.mail_activity_data_call", raise_if_not_found=False)
    call_back = env.ref(
        "customer_care.mail_activity_type_care_call_back", raise_if_not_found=False
    )
    if not call_back:
        return
    for xmlid in CALL_BACK_SCENARIOS:
        scenario = env.ref(xmlid, raise_if_not_found=False)
        if scenario and scenario.activity_type_id in (
            generic,
            env["mail.activity.type"],
        ):
            scenario.activity_type_id = call_back
