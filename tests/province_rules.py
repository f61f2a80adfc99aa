"""Set a province's rule straight in the database for a test (the 省份规则 screen is tested through HTTP in
tests/provinces/)."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import ProvinceRule


def set_rule(app, province: str, **values) -> None:
    with app.app_context():
        row = db.session.scalar(select(ProvinceRule).where(ProvinceRule.region_code == province))
        if row is None:
            row = ProvinceRule(region_code=province)
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()
