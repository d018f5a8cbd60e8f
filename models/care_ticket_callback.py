"""Call-back requests of tickets: the customer picks a moment inside the
team's working hours (portal ticket page, public form, the link of the
acknowledgement) and it becomes a call-back follow-up of the ticket's owner.
Fields and helpers that ``care.ticket`` (models/care_ticket.py) and the
controllers call by name; no ORM override lives here."""

from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

# The follow-up type of issue 13 when it is installed, else Odoo's "Call".
CALLBACK_TYPES = (
    "customer_care.mail_activity_type_care_call_back",
    "mail.mail_activity_data_call",
)


class CareTicketCallback(models.AbstractModel):
    _name = "care.ticket.callback"
    _description = "Ticket Call-back Requests"

    callback_at = fields.Datetime(
        string="Call-back Requested for",
        readonly=True,
        copy=False,
        tracking=True,
        help="When the customer asked to be called back (portal, web form or the "
        "link of the acknowledgement). The ticket's owner has a call-back "
        "follow-up due then.",
    )

    # ---- the slot ----

    def _callback_schedule(self):
        self.ensure_one()
        # sudo: the team's working hours are configuration a customer's
        # request is checked against; only hours are read.
        team = self.team_id.sudo()
        return self.env["care.sla"]._get_schedule(team, self.company_id, {})

    def _callback_slot(self, local_value):
        """The naive UTC moment of ``local_value`` (``"YYYY-MM-DDTHH:MM"``, as
        an HTML ``datetime-local`` input sends it, in the team's time zone),
        or a translated ``UserError`` saying why it cannot be a call-back."""
        self.ensure_one()
        schedule = self._callback_schedule()
        try:
            local = datetime.fromisoformat((local_value or "").strip())
        except ValueError:
            raise UserError(
                self.env._("Please choose a day and a time for the call.")
            ) from None
        if not hasattr(schedule, "refusal"):  # no working hours: any future time
            slot = local
            refusal = "past" if slot <= fields.Datetime.now() else None
        else:
            slot = schedule.to_utc(local.replace(tzinfo=None))
            refusal = schedule.refusal(slot, fields.Datetime.now())
        if refusal:
            raise UserError(self._callback_refusal_message(schedule, slot, refusal))
        return slot

    def _callback_refusal_message(self, schedule, slot, refusal):
        if refusal == "past":
            return self.env._(
                "This time has already passed: please choose a later one."
            )
        day = schedule.local_day(slot)
        day_text = format_datetime(
            self.env, slot, tz=self._callback_tz(), dt_format="EEEE d/M/y"
        )
        if refusal == "holiday":
            return self.env._(
                "%(day)s is a holiday: please choose another day.", day=day_text
            )
        if refusal == "closed_day":
            return self.env._(
                "We do not work on %(day)s: please choose another day.", day=day_text
            )
        hours = ", ".join(
            f"{self._hour_text(start)}–{self._hour_text(stop)}"
            for start, stop in schedule.day_hours(day)
        )
        return self.env._(
            "We call back during working hours only (%(hours)s on %(day)s, not "
            "during the lunch break): please choose another time.",
            hours=hours,
            day=day_text,
        )

    def _callback_tz(self):
        """The time zone call-backs are chosen in: the team's calendar's."""
        tz = getattr(self._callback_schedule(), "tz", None)
        return str(tz) if tz else "UTC"

    def _callback_local_value(self):
        """``callback_at`` as the portal's ``datetime-local`` input shows it."""
        self.ensure_one()
        if not self.callback_at:
            return ""
        schedule = self._callback_schedule()
        local = (
            schedule.to_local(self.callback_at)
            if hasattr(schedule, "to_local")
            else self.callback_at
        )
        return local.strftime("%Y-%m-%dT%H:%M")

    @api.model
    def _hour_text(self, hours):
        minutes = round(hours * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    # ---- the request ----

    def _request_callback(self, local_value, phone=None):
        """Record the customer's call-back request for ``local_value`` (see
        ``_callback_slot``): a call-back follow-up of the ticket's owner (the
        team leader when nobody owns it) due at that moment. A second request
        for the same ticket moves the open follow-up instead of adding one.
        Return the slot (naive UTC)."""
        self.ensure_one()
        slot = self._callback_slot(local_value)
        owner = self.user_id or self.team_id.leader_id
        phone = (phone or "").strip()[:32] or self.partner_phone
        note = self.env._(
            "The customer asked to be called back on %(phone)s at %(when)s.",
            phone=phone or self.env._("(no phone number given)"),
            when=format_datetime(
                self.env, slot, tz=self._callback_tz(), dt_format="short"
            ),
        )
        values = {"callback_at": slot}
        if phone and not self.partner_phone:
            values["partner_phone"] = phone
        self.write(values)
        if hasattr(self, "_schedule_follow_up"):
            self._schedule_follow_up(
                CALLBACK_TYPES[0],
                due_at=slot,
                user=owner or None,
                note=note,
                channel="phone",
                reason=self.env._("Call-back requested by the customer"),
            )
        else:
            self._callback_activity(slot, owner, note)
        return slot

    def _callback_activity(self, slot, owner, note):
        """The call-back as a plain ``mail.activity`` (Odoo's "Call" type):
        the open one of the ticket moves; otherwise one is scheduled."""
        activity_type = self.env.ref(CALLBACK_TYPES[1])
        activity = self.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )[:1]
        values = {
            "date_deadline": fields.Date.context_today(
                self.with_context(tz=self._callback_tz()), slot
            ),
            "summary": self.env._("Call the customer back"),
            "note": note,
        }
        if owner:
            values["user_id"] = owner.id
        if activity:
            activity.write(values)
        else:
            self.activity_schedule(activity_type_id=activity_type.id, **values)
