"""工作台: the landing page. What waits for the acting identity (backoffice.todos), one click from
each to the screen that handles it, and the actor's own next step."""
from flask import url_for
from flask_admin import expose
from flask_login import current_user

from .. import todos
from ..policy import current_actor
from .base import IndexView


class Dashboard(IndexView):
    def screen_url(self, module: str) -> str | None:
        """The list of the screen that handles a module's rows."""
        for view in self.admin._views:
            if getattr(view, "module", None) == module:
                return url_for(f"{view.endpoint}.index_view")
        return None

    @expose("/")
    def index(self):
        actor = current_actor()
        return self.render(
            "dashboard.html",
            actor=actor,
            todos=todos.todos(actor),
            notices=todos.notices(actor, current_user.id),
            screen_url=self.screen_url,
        )
