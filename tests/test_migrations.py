"""`flask db upgrade` from empty gives exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backoffice.extensions import db
from backoffice.models.base import only_on_its_database


def test_migrations_match_the_models(app):
    with app.app_context():
        connection = db.session.connection()
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": only_on_its_database(connection.dialect.name),
        })
        differences = compare_metadata(context, db.metadata)
    assert differences == []
