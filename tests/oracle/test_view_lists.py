"""How a list reads (views/base.py `ScopedModelView`): declared search, the ids-first page, the export.
Called straight on the registered views with the oracle world's identities; the expected rows are the
world's natural keys written by hand, never asked of the policy. The world's people are named `pe_…`
and no demo person is, so a name search returns exactly world rows.

- 姓名 search: a prefix, inside the actor's scope, in name order; an ID-number search (digits: a prefix of
  the number; 18 characters: the number, a final x read as X) lists in ID-number order unless the user
  chose a sort.
- The ids-first page loads its rows with the screen's eager loads, in the ids' order, and its ids query
  joins nothing; its first page, skipping no row, is one statement.
- 导出: exactly the rows the list shows (scope, search, filters, sort), every batch in order, formulas
  quoted, the screen's column labels as header, a note when the cap left rows out.
"""
import csv
import io
from contextlib import contextmanager

import pytest
from flask import g
from openpyxl import load_workbook
from sqlalchemy import event, inspect
from werkzeug.exceptions import NotFound

from backoffice.extensions import db
from backoffice.formatting import series_name
from backoffice.models import Organisation, Person, Record, Transfer, User
from backoffice.views import base
from backoffice.views.base import ScopedAjaxLoader, ScopedModelView
from test_view_oracle import _views
from world import acting, row

PERSON_HEADER = ["姓名", "性别", "公民身份号码", "专业技术任职资格", "资格级别", "专业系列", "工作单位", "所属部门", "单位确认状态"]


@contextmanager
def acting_on(app, world, who, url="/"):
    """A request to `url` by one of the world's identities (signed in: the screens' gate lets it in)."""
    with app.test_request_context(url):
        g.actor = world.actors[who]
        g._login_user = db.session.get(User, g.actor.user_id)
        yield


def _keys(world, rows) -> list[str]:
    return [world.keys[type(r)][inspect(r).identity[0]] for r in rows]


def _listed(app, world, endpoint, who, search, sort=None, desc=False, filters=(), page_size=20):
    view = _views(app)[endpoint]
    with acting_on(app, world, who):
        _, rows = view.get_list(0, sort, desc, search, list(filters), page_size=page_size)
        assert isinstance(rows, list)  # the page's rows, not a query
        return _keys(world, rows)


# ---- 姓名 search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who,search,expected", [
    ("unit_gz1", "pe_", ["pe_going", "pe_gz1_b", "pe_gz1_ok", "pe_gz1_wait"]),
    ("unit_gz1", "pe_gz1_", ["pe_gz1_b", "pe_gz1_ok", "pe_gz1_wait"]),
    ("unit_gz1", "  pe_gz1_o ", ["pe_gz1_ok"]),  # the box's spaces are not part of the term
    ("hr_sz", "pe_", ["pe_moved", "pe_rebound", "pe_sz_none", "pe_sz_ok"]),
    ("hr_sz", "pe_gz1", []),  # 广州's people are outside 深圳's scope, found or not
    ("ind_gz", "pe_g", ["pe_going", "pe_gz1_ok", "pe_gz1_wait", "pe_gz2_ok"]),  # 甲 only: not pe_gz1_b
    ("unit_gz1", "e_gz1", []),  # a prefix, not a substring
    ("unit_gz1", "PE_", []),  # names compare by code point
])
def test_a_name_search_lists_the_prefix_inside_scope_in_name_order(app, world, who, search, expected):
    assert _listed(app, world, "person_query", who, search) == expected


def test_a_name_search_pages_like_the_list(app, world):
    """Two at a time: the second page continues the first, in name order."""
    view = _views(app)["person_query"]
    with acting_on(app, world, "unit_gz1"):
        pages = [_keys(world, view.get_list(n, None, None, "pe_", [], page_size=2)[1]) for n in range(3)]
    assert pages == [["pe_going", "pe_gz1_b"], ["pe_gz1_ok", "pe_gz1_wait"], []]


def test_a_record_list_searches_the_person_it_is_about(app, world):
    """继续教育记录查询 (records, not people): the term is matched on the record's person."""
    assert sorted(_listed(app, world, "record_query_industry", "ind_p", "pe_moved")) == [
        "rc_moved_class", "rc_moved_hr", "rc_moved_old"]
    assert _listed(app, world, "record_query_industry", "ind_gz", "pe_moved") == []  # he works in 深圳 now
    assert _listed(app, world, "record_query_industry", "ind_p", "pe_gz1_b") == []  # 乙's: not the department's


def test_a_searched_list_that_counts_counts_the_found_rows(app, world, monkeypatch):
    """Where a searched screen has a pager with a count, the count is the search's, not the whole list's."""
    view = _views(app)["person_query"]
    monkeypatch.setattr(view, "simple_list_pager", False)
    with acting_on(app, world, "unit_gz1"):
        count, rows = view.get_list(0, None, None, "pe_gz1_", [], page_size=2)
        assert (count, _keys(world, rows)) == (3, ["pe_gz1_b", "pe_gz1_ok"])
        count, _ = view.get_list(0, None, None, "", [], page_size=2)
        assert count == 4  # no term: the four people of gz1 (the demo has none there)


# ---- ID-number search -----------------------------------------------------------------------------

# ID numbers of digits for three of the world's people (theirs are ORCP…), in an order unlike their names'
DIGIT_IDS = {"pe_sz_ok": "990000000000000001", "pe_gz1_ok": "990000000000000002", "pe_gz1_b": "99000000000000003X"}


@contextmanager
def digit_ids(app, world):
    with acting(app):
        for key, number in DIGIT_IDS.items():
            row(world, Person, key).id_number = number
        db.session.flush()
        yield


@pytest.mark.parametrize("who,search,expected", [
    ("hr_p", "9900000000000000", ["pe_sz_ok", "pe_gz1_ok", "pe_gz1_b"]),  # ID-number order, not names'
    ("hr_p", "99", ["pe_sz_ok", "pe_gz1_ok", "pe_gz1_b"]),  # a prefix ending in 9
    ("hr_p", "99000000000000000", ["pe_sz_ok", "pe_gz1_ok"]),
    ("hr_p", "990000000000000002", ["pe_gz1_ok"]),
    ("hr_p", "99000000000000003x", ["pe_gz1_b"]),  # the check character typed in lower case
    ("unit_gz1", "9900000000000000", ["pe_gz1_ok", "pe_gz1_b"]),  # 深圳's pe_sz_ok is outside gz1
    ("hr_p", "9900000000000001", []),
    ("hr_p", "9900000000000000025", []),  # 19 digits: no ID number
])
def test_an_id_number_search_lists_in_id_number_order(app, world, who, search, expected):
    with digit_ids(app, world):
        assert _listed(app, world, "person_query", who, search) == expected


def test_an_id_number_search_pages_by_key_in_id_number_order(app, world):
    """下一页 of an ID-number search (in ID-number order, no sort chosen) carries a key of that order, and
    following it brings the rest in the same order: pe_sz_ok and pe_gz1_ok, then pe_gz1_b."""
    view = _views(app)["person_query"]
    with digit_ids(app, world):
        with acting_on(app, world, "hr_p", f"{view.url}/?search=9900"):
            _, first = view.get_list(0, None, False, "9900", [], page_size=2)
            forward = view.seek_url(f"{view.url}/?page=1&search=9900", first[-1], True)
        assert _keys(world, first) == ["pe_sz_ok", "pe_gz1_ok"]
        assert "after=" in forward
        # read with page 0: only the key can bring the second page's rows
        with acting_on(app, world, "hr_p", forward):
            _, rest = view.get_list(0, None, False, "9900", [], page_size=2)
        assert _keys(world, rest) == ["pe_gz1_b"]


def test_a_chosen_sort_beats_the_id_number_order(app, world):
    with digit_ids(app, world):
        assert _listed(app, world, "person_query", "hr_p", "9900", sort="name") == ["pe_gz1_b", "pe_gz1_ok", "pe_sz_ok"]
        assert _listed(app, world, "person_query", "hr_p", "9900", sort="name", desc=True) == [
            "pe_sz_ok", "pe_gz1_ok", "pe_gz1_b"]


def test_the_id_number_order_is_the_searched_lists_only(app, world):
    """A second list in the same request, without a term, is in its own (name) order again."""
    view = _views(app)["person_query"]
    with digit_ids(app, world), acting_on(app, world, "unit_gz1"):
        _, found = view.get_list(0, None, None, "9900", [])
        assert _keys(world, found) == ["pe_gz1_ok", "pe_gz1_b"]
        _, listed = view.get_list(0, None, None, "pe_", [])
        assert _keys(world, listed) == ["pe_going", "pe_gz1_b", "pe_gz1_ok", "pe_gz1_wait"]


# ---- ids first ------------------------------------------------------------------------------------


@contextmanager
def statements():
    """The SQL statements run meanwhile, in order."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _shown(view, rows):
    """What 信息查询 shows of its rows: 专业系列 through the column's formatter, the rest as read."""
    series = view.column_formatters["series"]
    return [(r.name, series(view, None, r, "series"), r.unit.name, r.department) for r in rows]


def test_an_ids_first_page_finds_its_ids_bare_then_loads_its_rows_with_their_relations(app, world):
    """信息查询 as 广州 unit 1, page 2: one query for the page's ids (no join, the skipped rows not joined),
    one for those rows with the page's eager loads (工作单位 joined; 所属部门 fetched by id when a row has one;
    专业系列 named from the process's snapshot); reading them afterwards asks nothing more."""
    view = _views(app)["person_query"]
    assert view.ids_first and view.simple_list_pager  # no count query
    with acting_on(app, world, "unit_gz1"):
        with statements() as sql:
            _, rows = view.get_list(1, None, None, "pe_gz1", [], page_size=2)
        people = [statement for statement in sql if "FROM person" in statement]
        assert len(people) == 2, people
        ids_query, rows_query = people
        assert "JOIN" not in ids_query.upper()
        assert rows_query.upper().count("JOIN") == 1  # 工作单位; no row has a 所属部门 to fetch
        series_name(rows[0].series_id)  # the request's dictionary snapshot, read once
        with statements() as more:
            shown = _shown(view, rows)
        assert more == []
        assert shown == [("pe_gz1_wait", "神谕甲系列", "or_unit_gz1", None)]


def test_the_first_page_of_an_ids_first_list_is_one_statement_with_its_relations(app, world):
    """Page 1 skips no row, so there is nothing to find bare first: one statement, joined for its rows."""
    view = _views(app)["person_query"]
    with acting_on(app, world, "unit_gz1"):
        with statements() as sql:
            _, rows = view.get_list(0, None, None, "pe_gz1", [])
        people = [statement for statement in sql if "FROM person" in statement]
        assert len(people) == 1, people
        assert people[0].upper().count("JOIN") == 1
        series_name(rows[0].series_id)
        with statements() as more:
            shown = _shown(view, rows)
        assert more == []
        assert shown == [
            ("pe_gz1_b", "神谕乙系列", "or_unit_gz1", None), ("pe_gz1_ok", "神谕甲系列", "or_unit_gz1", None),
            ("pe_gz1_wait", "神谕甲系列", "or_unit_gz1", None),
        ]
        # the list's eager loads are back for whatever the request reads next (a details page of a row
        # the page did not hold): its relations come with it
        person = view.get_one(world.ids["pe_going"])
        assert not {"unit", "department"} & inspect(person).unloaded


def test_an_ids_first_view_asked_for_its_query_gives_the_query(app, world):
    """execute=False (what an export reads) is not the ids-first page: the count and the ordered query."""
    view = _views(app)["person_query"]
    with acting_on(app, world, "unit_gz1"):
        count, query = view.get_list(0, None, None, "pe_gz1", [], execute=False)
        assert count is None
        assert _keys(world, query.all()) == ["pe_gz1_b", "pe_gz1_ok", "pe_gz1_wait"]


def test_a_page_past_the_end_is_empty_and_a_page_out_of_range_not_found(app, world):
    view = _views(app)["person_query"]
    with acting_on(app, world, "unit_gz1"):
        assert view.get_list(5, None, None, "pe_", [], page_size=2)[1] == []
    for page, found in (("0", True), ("100000", True), ("100001", False), ("-1", False)):
        with acting_on(app, world, "unit_gz1", f"/admin/person_query/?page={page}"):
            if found:
                assert view._get_list_extra_args().page == int(page)
            else:
                with pytest.raises(NotFound):
                    view._get_list_extra_args()


# ---- export ---------------------------------------------------------------------------------------


def _export(app, world, who, endpoint, url_args="", export_type="csv"):
    view = _views(app)[endpoint]
    with acting_on(app, world, who, f"/admin/{endpoint}/export/{export_type}/?{url_args}"):
        response = view.export(export_type)
        body = response.get_data()
    return response, body


def _csv_rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


GZ1_EXPORT = [
    ["pe_going", "女", "ORCP00000000000003", "", "", "神谕甲系列", "or_unit_gz1", "", "已确认"],
    ["pe_gz1_b", "女", "ORCP00000000000001", "", "", "神谕乙系列", "or_unit_gz1", "", "已确认"],
    ["pe_gz1_ok", "女", "ORCP00000000000000", "'=1+1", "", "神谕甲系列", "or_unit_gz1", "", "已确认"],
    ["pe_gz1_wait", "女", "ORCP00000000000002", "", "", "神谕甲系列", "or_unit_gz1", "", "待单位确认"],
]


@contextmanager
def a_formula_title(app, world):
    """pe_gz1_ok's 专业技术任职资格 reads =1+1: Excel would compute it."""
    with acting(app):
        row(world, Person, "pe_gz1_ok").title = "=1+1"
        db.session.flush()
        yield


def test_the_csv_export_holds_the_searched_rows_with_formulas_quoted(app, world):
    with a_formula_title(app, world):
        response, body = _export(app, world, "unit_gz1", "person_query", "search=pe_")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once (it read "…; charset=utf-8" twice)
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=export.csv; filename*=UTF-8''"
        "%E4%B8%93%E4%B8%9A%E6%8A%80%E6%9C%AF%E4%BA%BA%E5%91%98%E4%BF%A1%E6%81%AF%E6%9F%A5%E8%AF%A2.csv"
    )  # 专业技术人员信息查询.csv
    assert response.headers["Cache-Control"] == "private, no-store"
    assert _csv_rows(body) == [PERSON_HEADER, *GZ1_EXPORT]


def test_the_export_keeps_the_lists_sort_and_filters(app, world):
    view = _views(app)["person_query"]
    series = next(i for i, f in enumerate(view._filters) if f.name == "专业系列")
    _, body = _export(app, world, "unit_gz1", "person_query", "search=pe_&sort=0&desc=1")
    assert [r[0] for r in _csv_rows(body)[1:]] == ["pe_gz1_wait", "pe_gz1_ok", "pe_gz1_b", "pe_going"]
    _, body = _export(app, world, "unit_gz1", "person_query", f"search=pe_&flt1_{series}={world.ids['orc_b']}")
    assert [r[0] for r in _csv_rows(body)[1:]] == ["pe_gz1_b"]
    _, body = _export(app, world, "hr_sz", "person_query", "search=pe_gz1")
    assert _csv_rows(body) == [PERSON_HEADER]  # another city's people: the header alone


def test_the_export_reads_its_rows_batch_by_batch_in_the_lists_order(app, world, monkeypatch):
    """Batches of three over four rows: the second batch follows the first, none lost or repeated, and
    no exported row stays in the session once written."""
    monkeypatch.setattr(base, "EXPORT_BATCH", 3)
    view = _views(app)["person_query"]
    with a_formula_title(app, world), acting_on(app, world, "unit_gz1", "/admin/person_query/export/csv/?search=pe_"):
        body = view.export("csv").get_data()
        assert [person for person in db.session if isinstance(person, Person)] == []
    assert _csv_rows(body)[1:] == GZ1_EXPORT


def test_the_exports_queries_do_not_grow_with_its_rows(app, world):
    """The ids in one query, then each batch with the screen's eager loads: one row or four, the same
    statements, none of them per row."""
    def ran(search):
        view = _views(app)["person_query"]
        with acting_on(app, world, "unit_gz1", f"/admin/person_query/export/csv/?search={search}"):
            with statements() as sql:
                rows = _csv_rows(view.export("csv").get_data())
        return len(rows) - 1, [s for s in sql if "province_rule" not in s]

    (one, few), (four, many) = ran("pe_gz1_o"), ran("pe_")
    assert (one, four) == (1, 4)
    assert len(few) == len(many) == 2
    assert "JOIN" not in many[0].upper() and many[1].upper().count("JOIN") == 2


def test_a_long_export_is_not_cut_at_a_page(app, world, monkeypatch):
    """The export reads up to its cap, not the list's page of 20: 广东 HR's people, capped at 25."""
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 25)
    _, body = _export(app, world, "hr_p", "person_query")
    rows = _csv_rows(body)
    assert len(rows) == 1 + 25 + 1
    assert rows[-1] == ["（仅导出前25条，列表不止25条；请缩小查询范围后分批导出）"]


def test_the_xlsx_export_holds_the_same_rows(app, world):
    with a_formula_title(app, world):
        response, body = _export(app, world, "unit_gz1", "person_query", "search=pe_", "xlsx")
    assert response.mimetype == base.XLSX_MIME
    assert response.headers["Content-Disposition"].endswith(
        "%E4%BF%A1%E6%81%AF%E6%9F%A5%E8%AF%A2.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=export.xlsx;")
    assert response.headers["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(body)).active
    values = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    assert values == [PERSON_HEADER, *GZ1_EXPORT]


def test_an_export_type_the_screen_does_not_offer_is_not_found(app, world):
    with pytest.raises(NotFound):
        _export(app, world, "unit_gz1", "person_query", "", "pdf")


@pytest.mark.parametrize("cap,exported,note", [
    (4, 4, None),  # exactly the cap: nothing left out, no note
    (3, 3, "（仅导出前3条，列表不止3条；请缩小查询范围后分批导出）"),  # no count on this screen
])
def test_the_cap_keeps_the_first_rows_and_says_so(app, world, monkeypatch, cap, exported, note):
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", cap)
    with a_formula_title(app, world):
        _, body = _export(app, world, "unit_gz1", "person_query", "search=pe_")
    rows = _csv_rows(body)
    assert rows[1:exported + 1] == GZ1_EXPORT[:exported]
    assert rows[exported + 1:] == ([[note]] if note else [])


def test_a_counted_lists_export_note_gives_the_count(app, world, monkeypatch):
    """调转记录 counts its rows: the note says how many the list holds (gz1: tr_wait, tr_done)."""
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 1)
    _, body = _export(app, world, "unit_gz1", "transfer_log")
    rows = _csv_rows(body)
    assert len(rows) == 3 and rows[-1] == ["（仅导出前1条，共2条；请缩小查询范围后分批导出）"]
    assert rows[1][rows[0].index("调出说明")] in {"tr_wait", "tr_done"}


# ---- lookups and the constructor --------------------------------------------------------------------


def test_a_declared_ajax_lookup_is_scoped_to_the_actor(app, world):
    """A screen declaring form_ajax_refs gets a lookup over the relation's table, inside the scope."""
    view = _views(app)["person_query"]
    loader = view._create_ajax_loader("unit", {"fields": ["name"], "placeholder": "输入单位名称查询"})
    assert isinstance(loader, ScopedAjaxLoader)
    assert (loader.name, loader.model, loader.session, loader.fields) == ("unit", Organisation, db.session, ["name"])
    assert loader.options["placeholder"] == "输入单位名称查询"
    with acting_on(app, world, "unit_gz1"):
        assert {o.name for o in loader.get_list("or_")} == {"or_unit_gz1"}
    with acting_on(app, world, "hr_sz"):
        assert {o.name for o in loader.get_list("or_")} == {"or_hr_sz", "or_ind_sz_a", "or_unit_sz", "or_ind_sz_none"}


def test_a_new_screen_declares_and_the_base_does_the_rest(app, world):
    """A screen written tomorrow: its model, name, category and endpoint as given, on the shared session;
    its columns in the province's words; its declared search (placeholder, ID-number order) inside scope."""
    from backoffice.views.search import ID_NUMBER, PREFIX, SearchField

    class Probe(ScopedModelView):
        module = "transfer_log"
        column_list = ["reason", "status"]
        column_labels = {"reason": "调出说明", "status": "调转状态"}
        search_fields = (
            SearchField(Person.name, PREFIX, "姓名", through=Transfer.person_id, key=Person.id),
            SearchField(Person.id_number, ID_NUMBER, "公民身份号码", through=Transfer.person_id, key=Person.id),
        )

    view = Probe(Transfer, name="探针", category="人员调转", endpoint="probe_transfers")
    assert (view.model, view.session, view.name, view.category, view.endpoint) == (
        Transfer, db, "探针", "人员调转", "probe_transfers")
    with acting_on(app, world, "unit_gz1"):
        assert view._list_columns == [("reason", "调出说明"), ("status", "调转状态")]
        assert view.search_placeholder() == "姓名（前缀）或公民身份号码"
        assert sorted(_keys(world, view.get_list(0, None, None, "pe_", [])[1])) == ["tr_done", "tr_wait"]
        assert _keys(world, view.get_list(0, None, None, "pe_going", [])[1]) == ["tr_wait"]
        assert _keys(world, view.get_list(0, None, None, "pe_gz2", [])[1]) == []  # tr_refused: not gz1's


def test_a_screen_without_a_module_opens_for_nobody(app, world, monkeypatch):
    view = _views(app)["dictionary"]
    with acting_on(app, world, "admin"):
        assert view.is_accessible()
        monkeypatch.setattr(view, "module", "")
        assert not view.is_accessible()
        assert not view.is_visible()


def test_records_of_the_list_stay_in_scope_for_a_new_view(app, world):
    """Record lists share the same doors: 学时审验 as 深圳 HR lists only rc_moved_old and rc_sz_none of the world."""
    view = _views(app)["record_check"]
    with acting_on(app, world, "hr_sz"):
        keys = world.keys[Record]
        _, rows = view.get_list(0, None, None, None, [], page_size=100)
        assert {keys[r.id] for r in rows if r.id in keys} == {"rc_moved_old", "rc_sz_none"}


# ---- the plain page (a screen without ids_first) reads the same arguments ---------------------------


@pytest.mark.parametrize("ids_first", [True, False], ids=["ids-first", "plain"])
def test_both_roads_search_sort_and_filter_alike(app, world, monkeypatch, ids_first):
    """信息查询 with and without ids_first: the same rows for the same search, sort and filter, on the first
    page (one statement either way) and, one row a page, on the deeper ones (ids first: bare, then loaded)."""
    view = _views(app)["person_query"]
    monkeypatch.setattr(view, "ids_first", ids_first)
    series = next(i for i, f in enumerate(view._filters) if f.name == "专业系列")
    with acting_on(app, world, "unit_gz1"):
        b = [(series, "专业系列", str(world.ids["orc_b"]))]
        cases = [
            ((None, None, "pe_gz1", []), ["pe_gz1_b", "pe_gz1_ok", "pe_gz1_wait"]),
            (("name", True, "pe_", []), ["pe_gz1_wait", "pe_gz1_ok", "pe_gz1_b", "pe_going"]),
            ((None, None, "pe_", b), ["pe_gz1_b"]),
        ]
        for (sort, desc, search, filters), expected in cases:
            count, rows = view.get_list(0, sort, desc, search, filters)
            assert isinstance(rows, list) and count is None  # the page's rows, no count (simple pager)
            assert _keys(world, rows) == expected, (sort, desc, search, filters)
            pages = [view.get_list(n, sort, desc, search, filters, page_size=1)[1] for n in range(len(expected) + 1)]
            assert [_keys(world, page) for page in pages] == [[key] for key in expected] + [[]], \
                (sort, desc, search, filters)


# ---- the acting province's words --------------------------------------------------------------------


@contextmanager
def henan_words(app, world):
    """神谕省 speaks Henan's words (施教机构 → 继续教育基地) for the test's length."""
    from backoffice.labels import Vocabulary
    from backoffice.models import ProvinceRule

    with acting(app):
        row(world, ProvinceRule, "orc_rule").vocabulary = Vocabulary.HENAN
        db.session.flush()
        yield


def test_columns_and_form_labels_are_in_the_acting_provinces_words(app, world):
    view = _views(app)["record_declare"]
    with henan_words(app, world):
        for who, institution in (("hr_oc", "继续教育基地名称"), ("unit_gz1", "施教机构名称")):
            with acting_on(app, world, who):
                for columns in (view._list_columns, view._details_columns, view._export_columns):
                    labels = dict(columns)
                    assert labels["course_name"] == "课程名称"
                    if "institution_name" in labels:
                        assert labels["institution_name"] == institution
                assert dict(view._details_columns)["institution_name"] == institution
                form = view.create_form()
                assert form.institution_name.label.text == institution, who
                assert form.course_name.label.text == "课程名称"


def test_outside_a_request_columns_and_labels_read_the_default_words(app, world):
    """Read while no one acts (a command, the app being built): Guangdong's words, and no error."""
    from wtforms import Form, StringField

    class Probe(Form):
        institution_name = StringField("施教机构名称")

    view = _views(app)["record_declare"]
    with app.app_context():
        assert dict(view._details_columns)["institution_name"] == "施教机构名称"
        assert base._spoken_labels(Probe()).institution_name.label.text == "施教机构名称"


def test_a_screen_without_declared_search_keeps_flask_admins(app, world):
    """调转记录 searches 姓名 / 公民身份号码 Flask-Admin's way (contains, on the joined person), inside scope,
    and its pager counts what was found."""
    view = _views(app)["transfer_log"]
    assert not view.search_fields
    with acting_on(app, world, "unit_sz"):
        count, rows = view.get_list(0, None, None, "pe_", [], page_size=100)
        assert (count, sorted(_keys(world, rows))) == (4, ["tr_cancelled", "tr_done", "tr_odd", "tr_refused"])
        count, rows = view.get_list(0, None, None, "moved", [])
        assert (count, _keys(world, rows)) == (1, ["tr_done"])  # pe_moved's: a part of the name
        count, rows = view.get_list(0, None, None, "pe_going", [])
        assert (count, rows) == (0, [])  # gz1's transfer to gz2: not 深圳's


def test_a_details_row_comes_with_the_screens_eager_loads(app, world):
    """A details page (get_one) in a request that listed nothing first: the row's relations are loaded with it
    (its 专业系列 is named from the snapshot, not loaded)."""
    view = _views(app)["person_query"]
    with acting_on(app, world, "unit_gz1"):
        person = view.get_one(world.ids["pe_going"])
        assert not {"unit", "department"} & inspect(person).unloaded
