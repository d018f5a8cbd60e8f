import csv
import io

from odoo import http
from odoo.http import request


class CareEmotionExport(http.Controller):
    @http.route(
        "/customer_care/emotion_export/<int:partner_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def emotion_export(self, partner_id, **kwargs):
        """Download a customer's emotion journal as CSV: their personal-data
        export (Vietnam Decree 13/2023). Customer Care users only; the ACL of
        ``care.emotion.entry`` is checked by the model, no sudo here."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise request.not_found()
        rows = partner._care_emotion_export_rows()
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(row)
        filename = f"emotion_journal_{partner.id}.csv"
        return request.make_response(
            # BOM: Excel opens UTF-8 (Vietnamese) correctly.
            "\ufeff" + out.getvalue(),
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                ("Content-Disposition", f'attachment; filename="{filename}"'),
                ("Cache-Control", "no-store"),
            ],
        )
