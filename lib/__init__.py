"""Pure-Python helpers of customer_care, importable without Odoo.

Kept free of imports on purpose so that ``lib`` sub-packages can be loaded by
offline tests, benchmarks and build scripts that have no Odoo installed.
"""
