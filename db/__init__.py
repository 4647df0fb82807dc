"""Persistence: SQLAlchemy 2.0 models, engine, Alembic migrations, demo data."""
