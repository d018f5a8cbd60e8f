from odoo import fields, models

EMOTION_LABELS = [
    ("angry", "Angry"),
    ("disappointed", "Disappointed"),
    ("worried", "Worried"),
    ("neutral", "Neutral"),
    ("satisfied", "Satisfied"),
    ("delighted", "Delighted"),
]
NEGATIVE_LABELS = ("angry", "disappointed", "worried")


class CareEmotionLabel(models.Model):
    """The six emotions as records, so that care scenarios can pick several of
    them with a tag widget. Entries keep a plain selection (``code``): it is
    cheaper on the mail-intake path and easy to group by."""

    _name = "care.emotion.label"
    _description = "Customer Emotion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(EMOTION_LABELS, required=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()

    _code_uniq = models.UniqueIndex("(code)", "Each emotion exists once.")
