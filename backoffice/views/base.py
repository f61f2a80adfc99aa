"""ScopedModelView: a Flask-Admin ModelView that cannot show or touch a row outside the actor's scope.

Flask-Admin filters only what `get_query()` returns. Its details/edit/delete (`get_one`), actions
(raw ids), exports, relation `<select>`s and ajax lookups each need the same rule, so every one of
them goes through `policy.visible` here, once, for every view. Subclasses only declare.
"""
from urllib.parse import quote

from flask import abort, current_app, flash, g, has_request_context, redirect, request, stream_with_context, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_login import current_user
from sqlalchemy import BigInteger, desc, func, inspect
from sqlalchemy.exc import IntegrityError
from wtforms.validators import ValidationError

from ..extensions import db
from ..formatting import DETAIL_TYPE_FORMATTERS, EXPORT_TYPE_FORMATTERS, TYPE_FORMATTERS
from ..forms import BaseForm
from ..policy import current_actor, visible
from ..provinces import for_actor
from ..text import strip_control
from .exports import BATCH as EXPORT_BATCH
from .exports import CSV_MIME, csv_chunks, file_chunks, truncation_note, xlsx_file
from . import seek
from .listing import ListPage
from .search import SearchField, search_condition, search_order

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_PAGE = 100_000  # list pages past this answer 404: OFFSET stays inside every database's integer
AJAX_MAX_OFFSET, AJAX_MAX_LIMIT = 10_000, 50


def neutralise(value):
    """An export cell Excel reads as text: formulas (= + - @ …) quoted, and the characters no workbook may
    hold (control characters an older version or an import let in) dropped, so one stored row cannot
    break an XLSX export."""
    if isinstance(value, str):
        value = strip_control(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def _gate(view) -> None:
    """Signed in, acting as someone, and allowed this view's module — or refuse."""
    if not current_user.is_authenticated:
        abort(redirect(url_for("auth.login", next=request.full_path)))
    actor = current_actor()
    if actor is None:
        abort(redirect(url_for("auth.select_org", next=request.full_path)))
    if not view.is_accessible():
        abort(403)


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """select2 lookups list only rows the actor may see."""

    def get_query(self):
        return super().get_query().filter(visible(self.model, current_actor()))

    def get_list(self, term, offset=0, limit=AJAX_MAX_LIMIT):
        # ?offset= and ?limit= come from the request: negative or huge values break OFFSET/LIMIT
        offset = min(max(offset or 0, 0), AJAX_MAX_OFFSET)
        limit = min(max(limit or AJAX_MAX_LIMIT, 1), AJAX_MAX_LIMIT)
        return super().get_list(term or "", offset, limit)

    def get_one(self, pk):
        column = getattr(self.model, self.pk)
        try:
            key = column.type.python_type(str(pk))
        except (TypeError, ValueError):
            return None
        if isinstance(key, int) and not -(2**31) <= key < 2**31:
            return None
        return self.get_query().filter(column == key).one_or_none()


class ModuleAccess:
    """A screen belongs to one permission module (policy.modules); holding it is the whole access rule."""

    module: str = ""

    @property
    def name(self) -> str:
        """The module's label in the acting province's words (docs/provinces.md): a Henan clerk reads
        审核注册人员 where a Guangdong one reads 专业技术人员信息确认 — menu, heading and title alike."""
        actor = current_actor() if has_request_context() else None
        return for_actor(actor).speak(self._name, self.module)

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    def is_accessible(self) -> bool:
        actor = current_actor()
        return actor is not None and bool(self.module) and actor.can_use(self.module)

    def is_visible(self) -> bool:
        return self.is_accessible()


def _acting_rules():
    """The acting province's rules (Guangdong's words outside a request)."""
    return for_actor(current_actor() if has_request_context() else None)


def _spoken_labels(form):
    """A form's field labels in the acting province's words (each request builds its own form)."""
    rules = _acting_rules()
    for field in form:
        field.label.text = rules.speak(str(field.label.text))
    return form


def _spoken_columns(columns) -> list[tuple]:
    """(column, label) pairs with the labels in the acting province's words (施教机构名称 → 继续教育基地名称)."""
    rules = _acting_rules()
    return [(column, rules.speak(str(label))) for column, label in columns]


class _Spoken:
    """A column list Flask-Admin works out once, at start-up, read in the acting province's words at each
    request, like the screen's name (ModuleAccess.name). Kept as written in the instance's dict."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, view, owner=None):
        return self if view is None else _spoken_columns(view.__dict__[self.name])

    def __set__(self, view, value):
        view.__dict__[self.name] = value


class SpokenColumns:
    """The list, details and export columns in the acting province's words (施教机构名称 → 继续教育基地名称)."""

    _list_columns = _Spoken()
    _details_columns = _Spoken()
    _export_columns = _Spoken()


class ScopedModelView(SpokenColumns, ModuleAccess, ListPage, ModelView):

    # Flask-WTF's CSRF token (the one CSRFProtect checks) and the shared input filter, on every generated form
    form_base_class = BaseForm
    can_view_details = True
    can_create = False
    can_edit = False
    can_delete = False
    can_export = True
    export_types = ["csv", "xlsx"]
    page_size = 20
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    #: relationships loaded with the page's rows (no query per row); stated, not guessed
    list_eager: tuple = ()
    #: an export's, where its columns read other relations than the list's (None: the list's)
    export_eager: tuple | None = None
    #: the list page's own, where it shows a few columns of related rows its rows share (None: list_eager):
    #: an organisation is 27 columns, read again for each row that names it, to show its name. Where each
    #: row names its own related row, leave it: SQLAlchemy then books every left-out column of every
    #: object, which cost more than reading them (PostgreSQL: 记录申报 +0.11 ms, 学时审验 +0.13 ms; 单位申报记录,
    #: whose rows name the unit itself, −0.11 ms). Details, actions and exports keep list_eager's whole
    #: rows. A page that read a left-out column would load it row by row: test_list_relations fails then.
    page_eager: tuple | None = None
    column_auto_select_related = False
    #: column set to the acting organisation on create
    owner_column: str | None = None
    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = DETAIL_TYPE_FORMATTERS
    column_type_formatters_export = EXPORT_TYPE_FORMATTERS
    #: deep pages: find the page's ids on the bare scoped query, then load those rows with their eager
    #: loads (an OFFSET over the full query joins every relation for every skipped row: page 500 of a
    #: province list 45–68 ms of SQL, ids first 14 ms — STACK-NOTES). For views over big tables. The
    #: first page skips nothing: one statement, its relations joined for its own rows only.
    ids_first = False
    #: declared search (views/search.py): what the box matches, each kind served by an index.
    #: A view without it keeps Flask-Admin's column_searchable_list (fine for small tables).
    search_fields: tuple[SearchField, ...] = ()

    def __init__(self, model, name=None, category=None, **kwargs):
        super().__init__(model, db, name=name, category=category, **kwargs)

    # ---- access ------------------------------------------------------------------------------

    def _handle_view(self, name, **kwargs):
        _gate(self)
        denied = {
            "create_view": not self.can_create,
            "edit_view": not self.can_edit,
            "delete_view": not self.can_delete,
            "ajax_update": not (self.can_edit and self.column_editable_list),
            "details_view": not self.can_view_details,
            "export": not self.can_export,
        }
        if denied.get(name):
            abort(403)
        return None

    def _get_list_extra_args(self):
        """The list's query parameters (list, export). Flask-Admin already ignores an unknown sort column
        and page size; a page number outside 0..MAX_PAGE is not found (an OFFSET past the database's
        integer would be a 500). Text parameters were screened by `inputs` before any view ran."""
        args = super()._get_list_extra_args()
        if not 0 <= (args.page or 0) <= MAX_PAGE:
            abort(404)
        return args

    # ---- rows --------------------------------------------------------------------------------

    @property
    def _pk_column(self):
        return inspect(self.model).primary_key[0]

    def scope(self):
        return visible(self.model, current_actor())

    def _built_scope(self):
        """`scope()`, built once for the request: a list's rows and its count both filter by it, and
        building a record list's scope is 0.1–0.3 ms of SQL expression work a call."""
        if not has_request_context():
            return self.scope()
        built = g.setdefault("built_scopes", {})
        key = (self.endpoint, current_actor())
        if key not in built:
            built[key] = self.scope()
        return built[key]

    def get_query(self):
        query = super().get_query().filter(self._built_scope())
        eager = self._eager()
        return query.options(*eager) if eager else query

    def _eager(self) -> tuple:
        """The relations loaded with the rows: none for the bare ids of a page or an export, the
        export's own while an export writes its batches, else the list's (details use the list's)."""
        if getattr(g, "bare_list_query", False):
            return ()
        if getattr(g, "list_export", False) and self.export_eager is not None:
            return self.export_eager
        if getattr(g, "list_page", False) and self.page_eager is not None:
            return self.page_eager
        return self.list_eager

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        g.list_order = []  # the order's seek keys, gathered by _order_by (views/seek.py)
        try:
            # An ID-number search without a chosen sort lists by ID number (views/search.py:search_order).
            column = g.pop("search_order", None)
            if sort_column is None and column is not None:
                g.list_order.append(seek.key_for(self.model, column, False, False))
                return query.order_by(column), joins
            return super()._apply_sorting(query, joins, sort_column, sort_desc)
        finally:
            g.pop("list_pinned", None)  # this list's filters (ListPage.pinned), read by its order only

    def _order_by(self, query, joins, sort_joins, sort_field, sort_desc):
        if sort_field is not None and "list_order" in g:
            g.list_order.append(seek.key_for(self.model, sort_field, sort_desc, bool(sort_joins)))
        return super()._order_by(query, joins, sort_joins, sort_field, sort_desc)

    def _seek_keys(self) -> list[seek.Key] | None:
        """The list's order as seek keys, the primary key last; None when this order cannot seek."""
        keys = g.get("list_order")
        if keys is None or None in keys:
            return None
        if not self._ordered_by_pk(keys):
            pk = self._pk_column.key
            keys = [*keys, seek.Key(getattr(self.model, pk), pk, False)]
        return keys

    def _ordered_by_pk(self, keys) -> bool:
        """Whether the order's seek keys (None where a sort field cannot seek) hold the primary key."""
        return any(key is not None and key.name == self._pk_column.key for key in keys)

    def _seek_request(self):
        """(token, forward) when this is the list page asked for the rows after (before) a row."""
        if not (self.simple_list_pager and has_request_context()):
            return None
        if request.endpoint != f"{self.endpoint}.index_view":
            return None
        for direction, forward in ((seek.FORWARD, True), (seek.BACKWARD, False)):
            if request.args.get(direction):
                return request.args[direction], forward
        return None

    def _apply_pagination(self, query, page, page_size):
        # The primary key breaks ties in the sort, so a row is never on two pages or none — unless the
        # order holds it already (记录申报 newest first is `id DESC`).
        if not self._ordered_by_pk(g.get("list_order", ())):
            query = query.order_by(self._pk_column)
        asked = g.pop("list_seek", None)
        keys = self._seek_keys() if asked else None
        values = seek.read(asked[0], request.endpoint, keys) if keys else None
        if values is None:  # no token, or not one for this order: the page number's OFFSET
            return super()._apply_pagination(query, page, page_size)
        forward = asked[1]
        query = query.filter(seek.condition(keys, values, forward))
        if not forward:  # the rows just before, nearest first; get_list turns them round
            query = query.order_by(None).order_by(*(k.column if k.desc else desc(k.column) for k in keys))
            g.list_seek_backward = True
        return query.limit(page_size or self.page_size)

    def seek_url(self, url: str, row, forward: bool) -> str:
        """The 下一页 (上一页) link `url` with the token of `row`, the page's last (first) row, when the
        list's order can seek; otherwise `url` as it is (the page number's OFFSET)."""
        keys = self._seek_keys() if self.simple_list_pager else None
        made = seek.token(request.endpoint, keys, seek.edge(keys, row, self._pk_column)) if keys else None
        return seek.link(url, made, forward)

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        g.list_seek = self._seek_request() if execute else None
        g.list_page = execute  # a page's rows: page_eager's loads
        try:
            if not (self.ids_first and execute and page):
                count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
            else:
                count, rows = self._ids_first_list(page, sort_column, sort_desc, search, filters, page_size)
        finally:
            g.list_page = False
        if execute and g.pop("list_seek_backward", False):
            rows = rows[::-1]
        return count, rows

    def _ids_first_list(self, page, sort_column, sort_desc, search, filters, page_size):
        g.bare_list_query = True
        try:
            count, query = super().get_list(page, sort_column, sort_desc, search, filters, False, page_size)
        finally:
            g.bare_list_query = False
        ids = [pk for (pk,) in query.with_entities(self._pk_column)]
        if not ids:
            return count, []
        rows = {inspect(row).identity[0]: row for row in self._page_rows(ids)}
        return count, [rows[pk] for pk in ids if pk in rows]

    def _page_rows(self, ids):
        """The page's rows with their eager loads, by the ids the scoped query just chose. The scope is
        not applied twice: those ids are inside it, and a region's scope evaluated again cost as much as
        finding the page (26 of 32 ms for a province's 学时审验 at 1,000,000 records)."""
        query = db.session.query(self.model).filter(self._pk_column.in_(ids))
        eager = self._eager()
        return query.options(*eager) if eager else query

    def get_count_query(self):
        return db.session.query(func.count("*")).select_from(self.model).filter(self._built_scope())

    def coerce_pk(self, value):
        """The primary key as its Python type; anything malformed is simply not found."""
        column_type = self._pk_column.type
        try:
            coerced = column_type.python_type(str(value))
        except (TypeError, ValueError):
            abort(404)
        if isinstance(coerced, int):
            limit = 2**63 if isinstance(column_type, BigInteger) else 2**31
            if not -limit <= coerced < limit:
                abort(404)
        return coerced

    def get_one(self, id):
        if id is None or isinstance(id, (list, tuple)) or "," in str(id):
            abort(404)
        row = self.get_query().filter(self._pk_column == self.coerce_pk(id)).one_or_none()
        if row is None:
            abort(404)
        return row

    def scoped_rows(self, ids) -> list:
        """The rows behind posted ids, all inside scope, or 404 if any id is not."""
        wanted = {self.coerce_pk(i) for i in ids}
        rows = self.get_query().filter(self._pk_column.in_(wanted)).all() if wanted else []
        if len(rows) != len(wanted):
            abort(404)
        return rows

    def handle_action(self, return_view=None):
        self.scoped_rows(request.form.getlist("rowid"))  # 404 before any handler runs
        return super().handle_action(return_view)

    # ---- search: declared fields instead of ILIKE '%term%' over every column -----------------

    def init_search(self) -> bool:
        if self.search_fields:
            return True
        return super().init_search()

    def search_placeholder(self):
        if self.search_fields:
            return "或".join(field.placeholder for field in self.search_fields)
        return super().search_placeholder()

    def _apply_search(self, query, count_query, joins, count_joins, search):
        if not self.search_fields:
            return super()._apply_search(query, count_query, joins, count_joins, search)
        condition = search_condition(self.search_fields, search, db.session.get_bind().dialect.name)
        g.search_order = search_order(self.search_fields, search)  # read once by _apply_sorting
        query = query.filter(condition)
        if count_query is not None:
            count_query = count_query.filter(condition)
        return query, count_query, joins, count_joins

    # ---- forms: relation choices and ajax lookups stay in scope -------------------------------

    def _scope_relation_fields(self, form):
        actor = current_actor()
        for field in form:
            factory = getattr(field, "query_factory", None)
            if factory is None:
                continue
            target = factory().column_descriptions[0]["entity"]
            field.query_factory = lambda f=factory, t=target: f().filter(visible(t, actor))
        return form

    def create_form(self, obj=None):
        return _spoken_labels(self._scope_relation_fields(super().create_form(obj)))

    def edit_form(self, obj=None):
        return _spoken_labels(self._scope_relation_fields(super().edit_form(obj)))

    def _create_ajax_loader(self, name, options):
        attr = getattr(self.model, name)
        remote = attr.property.mapper.class_
        return ScopedAjaxLoader(name, db.session, remote, **options)

    def on_model_change(self, form, model, is_created):
        actor = current_actor()
        if is_created and self.owner_column and actor.org_id is not None:
            setattr(model, self.owner_column, actor.org_id)
        db.session.flush()
        # Whatever the form said, the row must end up inside the actor's scope.
        pk = inspect(model).identity[0]
        still_visible = db.session.query(self._pk_column).filter(
            self._pk_column == pk, self.scope()
        ).first()
        if still_visible is None:
            raise ValidationError("保存后的记录不在您的管理范围内，未保存")

    def handle_view_exception(self, exc):
        if isinstance(exc, ValidationError):
            flash(str(exc), "error")
            return True
        if isinstance(exc, IntegrityError):
            flash("保存失败：与已有记录重复，或引用的数据已不存在", "error")
            return True
        return super().handle_view_exception(exc)

    # ---- export: scoped (get_list → get_query), bounded, Excel-safe, Chinese file names -------

    @property
    def export_max_rows(self):
        return current_app.config["EXPORT_MAX_ROWS"]

    def get_export_value(self, model, name):
        return neutralise(super().get_export_value(model, name))

    def get_export_name(self, export_type="csv"):
        return f"{self.name}.{export_type}"

    @expose("/export/<export_type>/")
    def export(self, export_type):
        if export_type not in self.export_types:
            abort(404)
        g.list_export = True  # its batches load the export's relations (`_eager`)
        count, rows, truncated = self._export_rows()
        header = [str(label) for _, label in self._export_columns]

        def note():
            return truncation_note(self.export_max_rows, count) if truncated() else None

        if export_type == "csv":
            body = stream_with_context(csv_chunks(header, rows, note))
            response = current_app.response_class(body, mimetype=CSV_MIME)
        else:  # the workbook is finished before the response starts: a failure is still an error page
            response = current_app.response_class(file_chunks(xlsx_file(self.name, header, rows, note)),
                                                  mimetype=XLSX_MIME)
        filename = self.get_export_name(export_type)
        response.headers["Content-Disposition"] = (
            f"attachment; filename=export.{export_type}; filename*=UTF-8''{quote(filename)}"
        )
        response.headers["Cache-Control"] = "private, no-store"
        return response

    def _export_rows(self):
        """(the list's count, its rows as export values up to EXPORT_MAX_ROWS, whether rows were left out).

        The ids of the list (its scope, search, filters and sort) are read first, then the rows in
        batches, each batch let go once written (the session's identity map holds unchanged rows weakly,
        so nothing needs expunging): memory holds ids, never the whole table of rows."""
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        cap = self.export_max_rows
        g.bare_list_query = True  # ids only: the list's eager loads are for whole rows
        try:
            count, query = ModelView.get_list(
                self, None, sort[0] if sort else None, view_args.sort_desc, view_args.search,
                view_args.filters, execute=False, page_size=cap + 1,
            )
        finally:
            g.bare_list_query = False
        ids = [pk for (pk,) in query.with_entities(self._pk_column)]
        left_out = len(ids) > cap
        ids = ids[:cap]
        columns = [name for name, _ in self._export_columns]

        def rows():
            for start in range(0, len(ids), EXPORT_BATCH):
                batch = ids[start:start + EXPORT_BATCH]
                found = {inspect(r).identity[0]: r for r in self.get_query().filter(self._pk_column.in_(batch))}
                for pk in batch:
                    if pk in found:
                        yield [self.get_export_value(found[pk], name) for name in columns]

        return count, rows(), lambda: left_out


class PageView(ModuleAccess, BaseView):
    """A screen that is a page, not a model list (批量导入, reports): the same gate as ScopedModelView."""

    def _handle_view(self, name, **kwargs):
        _gate(self)
        return None


class IndexView(AdminIndexView):
    """工作台: the landing page after sign-in."""

    def _handle_view(self, name, **kwargs):
        _gate(self)
        return None

    def is_accessible(self) -> bool:
        return current_actor() is not None

    @expose("/")
    def index(self):
        return self.render("dashboard.html", actor=current_actor())

