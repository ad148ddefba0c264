"""Alembic migrations of the store's schema, run by ``magwise.store`` on start."""
