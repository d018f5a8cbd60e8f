"""Emotion detection for customer messages (Vietnamese and English).

Pure Python, standard library only, no Odoo import, so it can be tested and
benchmarked offline.  From Odoo::

    from odoo.addons.customer_care.lib.emotion import detect
    detect("Giao hàng trễ quá, rất bực!")
    # {'label': 'angry', 'intensity': 4, 'confidence': 0.8, 'language': 'vi'}

The model file is loaded lazily on the first call and shared read-only.
"""

from .detector import LABELS, detect
from .textclean import strip_quotes_and_signature

__all__ = ["LABELS", "detect", "strip_quotes_and_signature"]
