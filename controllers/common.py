"""What the customer-facing controllers share: the length limits of what
customers type, the reading of uploaded files (under the rules of
models/care_ticket_attachment.py) and the values of Odoo's portal layout."""

import os

from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal

LIMITS = {
    "name": 120,
    "email": 254,
    "phone": 32,
    "subject": 200,
    "description": 20000,
    "order_reference": 64,
    "reply": 20000,
    "feedback": 2000,
}


def read_uploaded_files(rules):
    """Read the uploaded files within ``rules`` (``care.ticket``'s
    ``_attachment_rules``): ``([(name, bytes)], errors)``."""
    Ticket = request.env["care.ticket"]
    uploads = [
        f for f in request.httprequest.files.getlist("attachments") if f.filename
    ]
    error = Ticket._file_count_error(len(uploads), rules)
    if error:
        return [], [error]
    files, errors = [], []
    for upload in uploads:
        name = os.path.basename(upload.filename.replace("\\", "/"))[:200]
        content = upload.read(rules["max_bytes"] + 1)
        mimetype = guess_mimetype(content, default="")
        error = Ticket._file_error(name, len(content), mimetype, rules)
        if error:
            errors.append(error)
        elif not content:
            errors.append(request.env._("The file %(name)s is empty.", name=name))
        else:
            files.append((name, content))
    return files, errors


def portal_layout_values(page_name, **values):
    """Values of ``portal.portal_layout`` for a page outside /my (the
    customer's salesperson card, as CustomerPortal gives /my pages)."""
    return {
        **CustomerPortal()._prepare_portal_layout_values(),
        "page_name": page_name,
        **values,
    }
