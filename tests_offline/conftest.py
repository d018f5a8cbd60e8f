"""Make ``lib`` importable for offline tests without Odoo.

* Puts the repository root on ``sys.path`` so ``import lib.emotion`` works.
* The repository root is itself the Odoo add-on package (it has an
  ``__init__.py`` importing Odoo models).  pytest treats it as a test package
  and imports that ``__init__.py`` during setup, which needs a running Odoo
  registry.  A placeholder module is registered under the name pytest would
  use, so offline tests never import the add-on's Odoo code.
"""

import os
import sys
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

_ADDON_NAME = os.path.basename(ROOT)
if os.path.exists(os.path.join(ROOT, "__init__.py")) and _ADDON_NAME not in sys.modules:
    _stub = types.ModuleType(_ADDON_NAME, "Placeholder for the Odoo add-on package.")
    _stub.__file__ = os.path.join(ROOT, "__init__.py")
    _stub.__path__ = [ROOT]
    sys.modules[_ADDON_NAME] = _stub
