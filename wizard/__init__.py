from . import care_ticket_log_contact
from . import care_ticket_log_contact_emotion
from . import care_consent_update
from . import care_privacy_erase
from . import care_follow_up_log
from . import stock_return_picking
from . import account_move_reversal
from . import care_call_campaign
