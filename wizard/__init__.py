from . import care_ticket_log_contact
from . import care_ticket_log_contact_emotion
