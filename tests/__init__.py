from . import test_care_ticket
from . import test_care_sla
from . import test_care_assignment
from . import test_care_emotion
from . import test_mail_gateway
from . import test_numbering
from . import test_access_rights
from . import test_portal
