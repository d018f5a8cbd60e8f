# care.ticket helpers (abstract, no ORM override) come before the ticket that
# inherits them; the order of these imports decides no behaviour.
from . import care_stage
from . import care_tag
from . import care_ticket_type
from . import care_team
from . import care_topic
from . import care_ticket_sla_engine
from . import care_ticket_emotion
from . import care_ticket_portal
from . import care_ticket_attachment
from . import care_ticket
from . import care_sla
from . import care_ticket_sla
from . import care_sla_report
from . import resource_calendar
from . import care_emotion_label
from . import care_emotion_entry
from . import care_scenario
from . import care_scenario_run
from . import rating_rating
from . import care_article
from . import care_intake_throttle
from . import mail_thread
from . import res_partner
from . import res_config_settings
from . import res_company
from . import res_users
