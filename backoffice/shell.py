"""The pages a signed-in user reaches outside Flask-Admin (/me/…, /select-org, /change-password) render
inside the back office's shell, with the menu and the identity, once the user acts as someone; before
that (first sign-in, forced password change, nothing chosen yet) they keep the sign-in pages' card."""
from flask import current_app, render_template
from flask_login import current_user

from .policy import current_actor


def in_shell() -> bool:
    return (
        current_user.is_authenticated
        and not current_user.must_change_password
        and current_actor() is not None
    )


def render_page(template: str, **context) -> str:
    """Render a page that extends templates/shell.html."""
    if in_shell():
        # Flask-Admin's base template needs a view to draw the menu: the 工作台's.
        admin = current_app.extensions["backoffice_admin"]
        return admin.index_view.render(template, in_shell=True, **context)
    return render_template(template, in_shell=False, **context)


def identity(actor, user) -> tuple[str, str]:
    """Who is acting, as the header shows it: (广州示范大学, 林建华), (专业技术人员, 王新), (系统管理员, admin)."""
    if actor.org_id is not None:
        return actor.label, user.real_name
    if actor.person_id is not None:
        return actor.kind_label, user.real_name
    return actor.kind_label, user.login
