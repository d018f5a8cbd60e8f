from . import portal
from . import emotion_export
