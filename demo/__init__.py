# Demo loaders called from the demo data files (the scripts of this folder are
# run by hand and are not imported).
from . import care_sale_demo
