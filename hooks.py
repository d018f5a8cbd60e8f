import logging

_logger = logging.getLogger(__name__)


def pre_init_hook(env):
    """Enable pg_trgm when the database allows it, so that the accent-free
    search keys get a trigram index (a trusted extension since PostgreSQL 13:
    the database owner may create it). Without it search still works, slower."""
    cr = env.cr
    cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    if cr.fetchone():
        return
    try:
        with cr.savepoint(flush=False):
            cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        env.registry.has_trigram = True
    except Exception as error:  # noqa: BLE001 - any refusal only costs speed
        _logger.info("pg_trgm not available (%s): ticket search unindexed", error)


def post_init_hook(env):
    env["res.company"].search([])._care_create_ticket_sequences()
