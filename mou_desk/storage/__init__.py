"""SQLAlchemy models, the engine factory, migrations, backup and search indexing."""
