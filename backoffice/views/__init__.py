"""Registers every back-office screen. A screen appears in a menu only if the actor holds its module."""
from flask import Flask
from flask_admin import Admin
from flask_admin.menu import MenuView
from flask_admin.theme import Bootstrap4Theme

from ..auth.headers import nonce_generator
from . import (
    account,
    annual_reports,
    attendance,
    audit,
    catalogue,
    certificates,
    classes,
    class_query,
    credit,
    enrolments,
    hours,
    legacy,
    members,
    org,
    oversight,
    person,
    person_import,
    plan_review,
    plans,
    progress,
    provinces,
    qualifications,
    record_checks,
    record_import,
    record_query,
    records,
    reference,
    shortfall,
    results,
    review,
    teachers,
    transfers,
)
from ..policy import MODULES
from ..reports import views as reports
from .base import ScopedModelView
from .dashboard import Dashboard

AREAS = [
    reference, audit, account, org, members, review, oversight,
    person, transfers, person_import, teachers, credit,
    catalogue, qualifications, plans, plan_review, classes,
    enrolments, class_query, record_query,
    attendance, results, records,
    hours, reports, certificates,
    record_checks, progress, record_import, annual_reports,
    shortfall, legacy, provinces,
]


class SpokenMenuView(MenuView):
    """A menu entry named by its screen at each request (the acting province's words), not once at start."""

    @property
    def name(self) -> str:
        return self._view.name

    @name.setter
    def name(self, value: str) -> None:
        pass  # the view's own name is the one source


class BackofficeAdmin(Admin):
    def _add_view_to_menu(self, view) -> None:
        self.add_menu_item(SpokenMenuView(view.name, view), view.category)


def init_admin(app: Flask) -> Admin:
    admin = BackofficeAdmin(
        app,
        name="继续教育管理后台",
        url="/admin",
        index_view=Dashboard(name="工作台", url="/admin"),
        theme=Bootstrap4Theme(base_template="layout.html", swatch="default", fluid=True),
        csp_nonce_generator=nonce_generator(app),  # its inline <script>s carry the CSP nonce
    )
    for area in AREAS:
        for view_class, model, category, endpoint in area.VIEWS:
            # A screen is named once, by its permission module (policy/modules.py): menu, 角色管理 and
            # 工作台 all read that label.
            name = MODULES[view_class.module].label
            admin.add_view(view_class(model, name=name, category=category, endpoint=endpoint))
    app.extensions["backoffice_admin"] = admin
    return admin


def scoped_views(admin: Admin) -> list[ScopedModelView]:
    return [v for v in admin._views if isinstance(v, ScopedModelView)]
