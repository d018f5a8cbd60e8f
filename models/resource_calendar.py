from odoo import api, fields, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    care_work_data = fields.Json(
        string="SLA Working Time",
        compute="_compute_care_work_data",
        store=True,
        help="Technical: the working periods and public holidays of the calendar "
        "in one value, so that SLA deadlines need a single read.",
    )

    @api.depends(
        "tz",
        "attendance_ids.dayofweek",
        "attendance_ids.hour_from",
        "attendance_ids.hour_to",
        "attendance_ids.week_type",
        "attendance_ids.day_period",
        "attendance_ids.display_type",
        "leave_ids.date_from",
        "leave_ids.date_to",
        "leave_ids.resource_id",
        "leave_ids.time_type",
    )
    def _compute_care_work_data(self):
        for calendar in self:
            calendar.care_work_data = {
                "tz": calendar.tz or "UTC",
                "attendances": [
                    [int(a.dayofweek), a.hour_from, a.hour_to, a.week_type or None]
                    for a in calendar.attendance_ids
                    if a.day_period != "lunch" and not a.display_type
                ],
                "leaves": sorted(
                    [
                        fields.Datetime.to_string(leave.date_from),
                        fields.Datetime.to_string(leave.date_to),
                    ]
                    # Public holidays: time off of no single resource.
                    for leave in calendar.global_leave_ids
                    if leave.time_type == "leave" and leave.date_from and leave.date_to
                ),
            }
