"""A list builds its scope once for a request — its rows and its count read the same one — and never
serves it to another actor: a request that changes who acts (the 选择单位 page does) gets the other's rows."""
from flask import g
from sqlalchemy import inspect

from backoffice.views.person import PersonQueryView

from test_scope_sweep import _actor, _visible_ids


def test_a_scope_built_for_one_actor_is_not_served_to_another(app):
    view = next(v for v in app.extensions["backoffice_admin"]._views if isinstance(v, PersonQueryView))
    city, province = _actor(app, "gz_hr", None), _actor(app, "hn_hr", None)
    with app.test_request_context():
        g.actor = city
        first = {inspect(row).identity[0] for row in view.get_query().all()}
        first_count = view.get_count_query().scalar()
        g.actor = province
        second = {inspect(row).identity[0] for row in view.get_query().all()}
        second_count = view.get_count_query().scalar()
    assert first and second and not first & second  # 广州 and 河南: nobody in both
    assert (first, first_count) == (_visible_ids(app, view, city), len(first))
    assert (second, second_count) == (_visible_ids(app, view, province), len(second))
