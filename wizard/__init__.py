from . import care_ticket_log_contact
