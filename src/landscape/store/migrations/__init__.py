"""Alembic migrations of the store schema, run by `landscape.store.open_store`."""
