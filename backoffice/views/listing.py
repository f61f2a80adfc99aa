"""How every list reads, as the manuals draw it: a fixed 搜索查询 bar (one box per declared filter,
查询 / 清空) above the table, an optional default (a review list opens on 待审核, which the user can
clear), labelled row links ([查看] [修改] [审核] [删除]) instead of bare icons, batch actions as
buttons, and a pager that says 共 N 条 where counting is cheap.

The bar is built from the view's own `column_filters` and speaks Flask-Admin's filter URLs
(`flt<pos>_<filter>`), so pager, sort, export and return links carry the search unchanged. A select's
全部 is the value `all`: no condition, but remembered, so a cleared default stays cleared on page 2.
"""
from dataclasses import dataclass, field

from flask import flash, g, get_template_attribute, request
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model import filters as base_filters
from flask_admin.model.template import BaseListRowAction, DeleteRowAction, EditRowAction, ViewRowAction
from flask_admin.tools import rec_getattr

from ..formatting import dictionary_formatters

ALL = "all"  # 全部: the select box's "no condition" that survives paging
BLANK_CHOICE = "请选择…"


@dataclass
class Box:
    """One box of the search bar."""

    label: str
    arg: str  # URL parameter, Flask-Admin's flt<pos>_<filter>
    kind: str  # text, select, date, number
    value: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)


def _equal(flt) -> bool:
    return isinstance(flt, sqla_filters.FilterEqual) and not isinstance(flt, sqla_filters.FilterNotEqual)


def _pick(members):
    """The one filter of a group the bar offers: 等于 a choice, else 包含, else 等于, else the first.
    Options are only asked whether they exist: reading them may be a query (专业系列)."""
    for test in (
        lambda flt: _equal(flt) and bool(flt.options),
        lambda flt: isinstance(flt, sqla_filters.FilterLike),
        _equal,
    ):
        for idx, flt in members:
            if test(flt):
                return idx, flt
    return members[0]


def _kind(flt, options) -> str:
    if options:
        return "select"
    if isinstance(flt, (base_filters.BaseDateFilter, base_filters.BaseDateBetweenFilter)):
        return "date"
    if isinstance(flt, base_filters.BaseIntFilter):
        return "number"
    return "text"


#: (a formatter set's id, a value's type) → (that set, the formatter or None); holding the set keeps its id
#: from being another set's
_TYPE_FORMATTERS: dict[tuple[int, type], tuple[dict, object]] = {}


def _type_formatter(formatters: dict, kind: type):
    """The formatter Flask-Admin picks for a value of type `kind`: the first whose type it is an instance of."""
    known = _TYPE_FORMATTERS.get((id(formatters), kind))
    if known is None or known[0] is not formatters:
        known = formatters, next((f for base, f in formatters.items() if issubclass(kind, base)), None)
        _TYPE_FORMATTERS[(id(formatters), kind)] = known
    return known[1]


class TextRowAction(BaseListRowAction):
    """A row link that says what it does ([查看], [修改], [审核], [删除]), as the manuals' lists have them."""

    def __init__(self, macro: str, label=None):
        super().__init__(title=None)
        self.macro, self.label = macro, label

    def render(self, context, row_id, row):
        link = get_template_attribute("model/_row_actions.html", self.macro)
        view = context.resolve("admin_view")
        label = self.label(view, row) if callable(self.label) else self.label
        return link(context.resolve("get_url"), row_id, row, context.resolve("return_url"), label)


class PostRowAction(BaseListRowAction):
    """A row button that POSTs to one of the view's routes after a confirmation (解除绑定)."""

    def __init__(self, endpoint: str, label: str, confirm: str):
        super().__init__(title=None)
        self.endpoint, self.label, self.confirm = endpoint, label, confirm

    def render(self, context, row_id, row):
        button = get_template_attribute("model/_row_actions.html", "post")
        url = context.resolve("get_url")(self.endpoint, id=row_id)
        return button(url, self.label, self.confirm)


#: Flask-Admin's icon actions → the labelled links that replace them
TEXT_ACTIONS = {
    ViewRowAction: lambda: TextRowAction("view", lambda view, row: view.row_link_label(row)),
    EditRowAction: lambda: TextRowAction("edit", "修改"),
    DeleteRowAction: lambda: TextRowAction("delete", "删除"),
}


class ListPage:
    """Mixed into every ScopedModelView: the list, details and form pages in the manuals' shape."""

    list_template = "model/list.html"
    create_template = "model/create.html"
    edit_template = "model/edit.html"
    details_template = "model/details.html"
    #: what the list shows when opened without a search of its own: column key → value, e.g. the
    #: review lists' {"status": ApplicationStatus.PENDING}; the 清空 link and 全部 lift it
    default_filters: dict[str, str] = {}

    def __init__(self, model, *args, **kwargs):
        # Dictionary codes read as their names on every list, details page and export.
        shown = dictionary_formatters(model)
        if shown:
            self.column_formatters = {**shown, **(self.column_formatters or {})}
            for attr in ("column_formatters_detail", "column_formatters_export"):
                if getattr(self, attr) is not None:
                    setattr(self, attr, {**shown, **getattr(self, attr)})
        super().__init__(model, *args, **kwargs)

    def _refresh_cache(self):
        super()._refresh_cache()
        # A NULL in a column with choices reads as nothing, not "None".
        for choices in self._column_choices_map.values():
            choices.setdefault(None, "")

    def _get_list_value(self, context, model, name, column_formatters, column_type_formatters):
        """A cell as Flask-Admin shows it (the column's formatter, else the attribute along its dots; a
        choice column's label, else its type's formatter), with two differences. Nothing reads as nothing:
        Flask-Admin answers a choice column's None or "" with the value itself, which a page printed as
        "None" (a 考核结果 not given). And a value's type formatter is looked up by its type, once per type,
        instead of testing it against every formatter in turn for every cell of every page."""
        formatter = column_formatters.get(name)
        if formatter is not None:
            value = formatter(self, context, model, name)
        else:
            value = rec_getattr(model, name)
        choices = self._column_choices_map.get(name)
        if choices:
            value = choices.get(value) or value
        else:
            type_formatter = _type_formatter(column_type_formatters, type(value))
            if type_formatter is not None:
                value = type_formatter(self, value, name)
        return "" if value is None else value

    def row_link_label(self, row) -> str:
        """The label of a row's details link; review lists say 审核 for a row that waits."""
        return "查看"

    def get_list_row_actions(self):
        actions = super().get_list_row_actions()
        return [TEXT_ACTIONS[type(a)]() if type(a) in TEXT_ACTIONS else a for a in actions]

    def search_label(self) -> str:
        """What the search box looks in, by the columns' labels: 姓名或公民身份号码, 登录账号、姓名或手机号码."""
        declared = [field.placeholder for field in getattr(self, "search_fields", ())]  # views/search.py
        labels = declared or [str(self.column_labels.get(name, name)) for name in self.column_searchable_list or ()]
        return "或".join(filter(None, ["、".join(labels[:-1]), *labels[-1:]]))

    def search_placeholder(self) -> str | None:
        return f"请输入{self.search_label()}" if self._search_supported else None

    # ---- forms: an empty choice reads 请选择…, not its internal value ----------------------------

    @staticmethod
    def _blank_choices(form):
        for field in form:
            if getattr(field, "allow_blank", False) and not getattr(field, "blank_text", None):
                field.blank_text = BLANK_CHOICE
        return form

    def create_form(self, obj=None):
        return self._blank_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._blank_choices(super().edit_form(obj))

    # ---- the search bar ------------------------------------------------------------------------

    def _bar_filters(self) -> list[tuple[str, int, object]]:
        """(label, index, filter) of each filter group, one per box, in declared order."""
        groups: dict[str, list] = {}
        for idx, flt in enumerate(self._filters or ()):
            groups.setdefault(str(flt.name), []).append((idx, flt))
        return [(label, *_pick(members)) for label, members in groups.items()]

    def _get_filter_groups(self):
        return None  # the bar replaces Flask-Admin's filter rows; their options need not be read

    def _default_filter_args(self) -> list:
        defaults = []
        for label, idx, flt in self._bar_filters():
            key = getattr(getattr(flt, "column", None), "key", None)
            if key in self.default_filters:
                defaults.append((idx, label, self.default_filters[key]))
        return defaults

    def _get_list_filter_args(self):
        """Flask-Admin's filter arguments, minus empty boxes; the default when the URL has no search."""
        if not self._filters:
            return None
        args = [(k, v) for k, v in request.args.items() if k.startswith("flt") and "_" in k]
        if not args and "search" not in request.args:
            return self._default_filter_args()
        filters = []
        for name, value in args:
            pos, key = name[3:].split("_", 1)
            if key not in self._filter_args or value.strip() == "":
                continue
            idx, flt = self._filter_args[key]
            if value == ALL or flt.validate(value):
                filters.append((pos, (idx, str(flt.name), value)))
            else:
                flash(f"查询条件“{flt.name}”的值无效：{value}", "error")
        return [f for _, f in sorted(filters, key=lambda item: int(item[0]) if item[0].isascii() and item[0].isdigit() else 0)]

    def _apply_filters(self, query, count_query, joins, count_joins, filters):
        chosen = [f for f in filters if f[2] != ALL]
        # the columns an 等于 box holds to one value: an order by them is the same for every row
        g.list_pinned = {
            getattr(self._filters[idx].column, "key", None) for idx, _, _ in chosen if _equal(self._filters[idx])
        }
        return super()._apply_filters(query, count_query, joins, count_joins, chosen)

    @staticmethod
    def pinned(key: str) -> bool:
        """Whether this request's list is held to one value of column `key` by an 等于 box (the default
        待审核 too): read by an order that a single value makes constant (ReviewView's 待审核 first)."""
        return key in g.get("list_pinned", ())

    def search_bar(self, active_filters, search) -> list[Box]:
        values = {idx: value for idx, _, value in active_filters or ()}
        boxes = []
        if self._search_supported:
            boxes.append(Box(self.search_label(), "search", "text", search or ""))
        for pos, (label, idx, flt) in enumerate(self._bar_filters()):
            options = [(str(k), str(v)) for k, v in (flt.get_options(self) or ())]
            kind = _kind(flt, options)
            if kind == "select":
                options = [(ALL, "全部"), *options]
            boxes.append(Box(label, f"flt{pos}_{self.get_filter_arg(idx, flt)}", kind, values.get(idx, ""), options))
        return boxes

    def clear_url(self) -> str:
        """清空: every box empty, and the default lifted."""
        lifted = {}
        for pos, (label, idx, flt) in enumerate(self._bar_filters()):
            key = getattr(getattr(flt, "column", None), "key", None)
            if key in self.default_filters:
                lifted[f"flt{pos}_{self.get_filter_arg(idx, flt)}"] = ALL
        return self.get_url(".index_view", **lifted)

    def render(self, template, **kwargs):
        if template == self.list_template and "data" in kwargs:
            kwargs.update(
                search_boxes=self.search_bar(kwargs.get("active_filters"), kwargs.get("search")),
                search_clear_url=self.clear_url(),
                filters=None,  # the bar replaces Flask-Admin's own filter rows and their script
            )
        return super().render(template, **kwargs)
