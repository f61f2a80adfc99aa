"""`flask db upgrade` from empty gives exactly the models' schema."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backoffice.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context():
        context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
