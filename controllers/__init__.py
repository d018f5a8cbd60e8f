from . import portal
from . import intake
from . import help_centre
from . import emotion_export
from . import privacy
from . import nps
