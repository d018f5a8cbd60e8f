from . import test_care_ticket
from . import test_care_assignment
from . import test_numbering
