from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_max_attachments = fields.Integer(
        string="Attachments per Message",
        config_parameter="customer_care.max_attachments",
        default=20,
        help="Incoming mail attachments beyond this number are not saved; the "
        "ticket says which ones.",
    )
    care_max_attachment_mb = fields.Integer(
        string="Attachment Size (MB)",
        config_parameter="customer_care.max_attachment_mb",
        default=25,
        help="Incoming attachments larger than this are not saved; the ticket "
        "says which ones.",
    )
    care_loop_threshold = fields.Integer(
        string="Emails per Sender",
        config_parameter="mail.gateway.loop.threshold",
        default=20,
        help="A sender who opens more tickets than this within the period is "
        "treated as a mail loop: further mail is refused with a notice.",
    )
    care_loop_minutes = fields.Integer(
        string="Period (minutes)",
        config_parameter="mail.gateway.loop.minutes",
        default=120,
    )
    care_nps_enabled = fields.Boolean(
        related="company_id.care_nps_enabled", readonly=False
    )
    care_nps_delay_days = fields.Integer(
        related="company_id.care_nps_delay_days", readonly=False
    )
    care_nps_throttle_days = fields.Integer(
        related="company_id.care_nps_throttle_days", readonly=False
    )
    care_follow_up_after_delivery_days = fields.Integer(
        related="company_id.care_follow_up_after_delivery_days", readonly=False
    )
    care_reopen_days = fields.Integer(
        string="Reopen Grace Period (days)",
        config_parameter="customer_care.reopen_days",
        default=7,
        help="Customers may reopen a closed ticket for this many days; after "
        "that, writing again opens a new ticket.",
    )
    care_emotion_learning = fields.Boolean(
        related="company_id.care_emotion_learning", readonly=False
    )
    care_emotion_learning_min = fields.Integer(
        related="company_id.care_emotion_learning_min", readonly=False
    )
    care_consent_emotion_default = fields.Selection(
        related="company_id.care_consent_emotion_default",
        readonly=False,
        help="Customers who were never asked: are their messages analysed for "
        "the emotion journal? A customer who objected never is.",
    )
    care_consent_marketing_default = fields.Selection(
        related="company_id.care_consent_marketing_default",
        readonly=False,
        help="Customers who were never asked: may mailings reach them? Decree "
        '13/2023 asks for explicit consent to marketing: keep "Only with the '
        "customer's explicit consent\" unless your lawyer says otherwise.",
    )
