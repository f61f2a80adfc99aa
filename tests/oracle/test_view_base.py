"""views/base.py on its own: every door of a ScopedModelView (details, edit, delete, actions, ajax
lookups, relation choices, export, save) goes through the scope, whatever the screen declares; a
verb the screen does not offer is 403, a row out of scope or a malformed id 404. Called straight on
the registered views with the oracle world's identities, so a hole in the base class fails here
whichever screen would have shown it.
"""
import csv
import io

import pytest
from flask import g, get_flashed_messages
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import Forbidden, HTTPException, NotFound
from wtforms.validators import ValidationError

from backoffice.extensions import db
from backoffice.models import Membership, Person, Teacher, User
from backoffice.views import scoped_views
from backoffice.views.base import ScopedAjaxLoader, neutralise
from test_view_lists import statements
from world import row


def _view(app, endpoint):
    return next(v for v in scoped_views(app.extensions["backoffice_admin"]) if v.endpoint == endpoint)


@pytest.fixture
def as_(app, world):
    """`with as_("unit_gz1"):` a request context acting as one of the world's identities."""

    def context(who):
        ctx = app.test_request_context()
        ctx.push()
        g.actor = world.actors[who]
        return ctx

    contexts = []

    class Acting:
        def __call__(self, who):
            contexts.append(context(who))
            return self

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            contexts.pop().pop()

    return Acting()


def test_get_one_finds_only_rows_in_scope(app, world, as_):
    view = _view(app, "transfer_log")
    with as_("unit_gz1"):
        assert view.get_one(str(world.ids["tr_wait"])).reason == "tr_wait"
        assert view.get_one(world.ids["tr_done"]).reason == "tr_done"
        for hidden in (world.ids["tr_refused"], world.ids["tr_cancelled"]):
            with pytest.raises(NotFound):
                view.get_one(str(hidden))


@pytest.mark.parametrize("bad", [None, "abc", "1,2", ["1"], ("1",), "", "2147483648", "-2147483649", "1.5"])
def test_malformed_ids_are_not_found(app, world, as_, bad):
    view = _view(app, "transfer_log")
    with as_("unit_gz1"), pytest.raises(NotFound):
        view.get_one(bad)


def test_the_largest_ids_of_each_key_type_are_looked_up_not_refused(app, world, as_):
    with as_("admin"):
        view = _view(app, "audit_log")  # a 64-bit key on PostgreSQL
        assert view.coerce_pk(str(2**31)) == 2**31
        assert view.coerce_pk(str(2**63 - 1)) == 2**63 - 1
        with pytest.raises(NotFound):
            view.coerce_pk(str(2**63))
        teachers = _view(app, "teachers")
        assert teachers.coerce_pk(str(2**31 - 1)) == 2**31 - 1
        assert teachers.coerce_pk(str(-(2**31))) == -(2**31)


def test_action_ids_are_all_in_scope_or_nothing_happens(app, world, as_):
    view = _view(app, "transfer_log")
    mine, theirs = world.ids["tr_wait"], world.ids["tr_cancelled"]
    with as_("unit_gz1"):
        assert [t.reason for t in view.scoped_rows([str(mine)])] == ["tr_wait"]
        assert view.scoped_rows([]) == []
        for ids in ([str(theirs)], [str(mine), str(theirs)], [str(mine), "abc"]):
            with pytest.raises(NotFound):
                view.scoped_rows(ids)


def _signed_in(world, who):
    """The request's signed-in user (Flask-Login reads g._login_user) and acting identity."""
    g.actor = world.actors[who]
    g._login_user = db.session.get(User, world.actors[who].user_id)


def test_a_verb_the_screen_does_not_offer_is_forbidden(app, world):
    view = _view(app, "transfer_log")  # a log: no 新增, 修改, 删除
    with app.test_request_context():
        _signed_in(world, "unit_gz1")
        for name in ("create_view", "edit_view", "delete_view", "ajax_update"):
            with pytest.raises(Forbidden):
                view._handle_view(name)
        assert view._handle_view("index_view") is None
        assert view._handle_view("details_view") is None
        assert view._handle_view("export") is None


def test_a_screen_without_export_or_details_refuses_them(app, world):
    confirm = _view(app, "person_confirm")  # no export on 信息确认
    with app.test_request_context():
        _signed_in(world, "unit_gz1")
        with pytest.raises(Forbidden):
            confirm._handle_view("export")
        confirm.can_view_details = False
        try:
            with pytest.raises(Forbidden):
                confirm._handle_view("details_view")
        finally:
            confirm.can_view_details = True


def test_without_the_module_the_gate_refuses(app, world):
    """And signed out or not acting as anyone, it sends to sign-in or to 选择单位."""
    view = _view(app, "transfer_log")
    with app.test_request_context():
        _signed_in(world, "multi_gz1")  # its role has no 调转记录
        with pytest.raises(Forbidden):
            view._handle_view("index_view")
    with app.test_request_context("/admin/transfer_log/?page=2"):
        with pytest.raises(HTTPException) as signed_out:
            view._handle_view("index_view")
        assert signed_out.value.response.status_code == 302
        # back to the page asked for, once signed in / once an organisation is chosen
        assert signed_out.value.response.headers["Location"] == "/login?next=/admin/transfer_log/?page%3D2"
    with app.test_request_context("/admin/transfer_log/?page=2"):
        g._login_user, g.actor = db.session.get(User, world.ids["u_multi"]), None
        with pytest.raises(HTTPException) as unchosen:
            view._handle_view("index_view")
        assert unchosen.value.response.headers["Location"] == "/select-org?next=/admin/transfer_log/?page%3D2"


def test_the_count_is_the_scoped_count(app, world, as_):
    view = _view(app, "person_query")
    with as_("hr_sz"):
        ids = list(world.keys[Person])
        assert view.get_count_query().filter(Person.id.in_(ids)).scalar() == 4  # 深圳's four people


def test_ajax_lookups_list_and_resolve_only_rows_in_scope(app, world, as_):
    loader = ScopedAjaxLoader("person", db.session, Person, fields=["name"])
    with as_("unit_sz"):
        names = {p.name for p in loader.get_list("pe_", offset=0, limit=100)}
        assert names == {"pe_sz_ok", "pe_moved", "pe_rebound", "pe_sz_none"}
        assert loader.get_one(str(world.ids["pe_sz_ok"])).name == "pe_sz_ok"
        assert loader.get_one(world.ids["pe_sz_ok"]).name == "pe_sz_ok"
        for bad in (str(world.ids["pe_gz1_ok"]), "abc", "", "2147483648", "-2147483649", "1.5"):
            assert loader.get_one(bad) is None, bad
        assert loader.get_one(str(2**31 - 1)) is None  # in range, simply not there


def test_relation_choices_stay_in_scope(app, world, as_):
    view = _view(app, "org_members")  # the member form offers roles
    with as_("unit_gz1"):
        form = view.edit_form(row(world, Membership, "u_multi@or_unit_gz1"))
        offered = {str(role) for role in form.roles.query_factory()}
        assert offered == {"ro_gz1_staff"}


def test_a_save_must_end_inside_scope(app, world, as_):
    view = _view(app, "teachers")
    with as_("unit_gz1"):
        # a second teacher of gz1 stays visible: the check is about this row, not "any row"
        db.session.add(Teacher(
            org_id=world.ids["or_unit_gz1"], name="te_gz1_b", sex="女", id_number="ORCT98", title="讲师",
            phone="020-2", email="b@example.cn", courses="课", intro="介",
        ))
        teacher = row(world, Teacher, "te_gz1")
        view.on_model_change(None, teacher, False)
        teacher.org_id = world.ids["or_unit_sz"]
        with pytest.raises(ValidationError, match="不在您的管理范围内"):
            view.on_model_change(None, teacher, False)


def test_a_new_row_is_owned_by_the_acting_organisation_whatever_the_form_said(app, world, as_):
    view = _view(app, "teachers")
    with as_("unit_sz"):
        teacher = Teacher(
            org_id=world.ids["or_unit_gz1"], name="te_new", sex="男", id_number="ORCT99", title="讲师",
            phone="020-1", email="n@example.cn", courses="课", intro="介",
        )
        db.session.add(teacher)
        view.on_model_change(None, teacher, True)
        assert teacher.org_id == world.ids["or_unit_sz"]
        teacher.org_id = world.ids["or_unit_gz1"]  # an edit is not a create: the owner stays as saved
        with pytest.raises(ValidationError):
            view.on_model_change(None, teacher, False)


def test_view_errors_become_messages_not_pages(app, world, as_):
    view = _view(app, "teachers")
    with as_("unit_gz1"):
        assert view.handle_view_exception(ValidationError("保存后的记录不在您的管理范围内")) is True
        assert view.handle_view_exception(IntegrityError("INSERT", {}, Exception("dup"))) is True
        flashed = get_flashed_messages()
        assert flashed == ["保存后的记录不在您的管理范围内", "保存失败：与已有记录重复，或引用的数据已不存在"]
        assert view.handle_view_exception(RuntimeError("bug")) is False


@pytest.mark.parametrize(
    "value,shown",
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-5", "'-5"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
     ("a=b", "a=b"), ("", ""), (5, 5), (None, None)],
)
def test_exported_cells_are_never_formulas(value, shown):
    assert neutralise(value) == shown


def test_the_csv_export_lists_the_scoped_rows_with_a_byte_order_mark(app, world, login_as):
    client = login_as("unit_b")  # a demo unit: exports only its own transfers
    response = client.get("/admin/transfer_log/export/csv/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''%E8%B0%83%E8%BD%AC%E8%AE%B0%E5%BD%95.csv" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] and all("or_" not in cell for r in rows for cell in r)  # no oracle row leaks in
    assert client.get("/admin/transfer_log/export/pdf/").status_code == 404


def test_pages_and_the_dashboard_have_the_same_gate(app, world):
    """批量导入 (a PageView) and the 工作台: signed out → sign-in; a page without the module → 403."""
    page = next(v for v in app.extensions["backoffice_admin"]._views if getattr(v, "endpoint", "") == "person_import")
    index = app.extensions["backoffice_admin"].index_view
    with app.test_request_context("/admin/person_import/"):
        for view in (page, index):
            with pytest.raises(HTTPException) as signed_out:
                view._handle_view("index")
            assert signed_out.value.response.headers["Location"] == "/login?next=/admin/person_import/?"
    with app.test_request_context():
        _signed_in(world, "unit_gz1")
        assert page._handle_view("index") is None
        assert index._handle_view("index") is None and index.is_accessible()
    with app.test_request_context():
        _signed_in(world, "p1")  # a person imports nobody
        with pytest.raises(Forbidden):
            page._handle_view("index")
        assert index._handle_view("index") is None
    with app.test_request_context():
        g._login_user, g.actor = db.session.get(User, world.ids["u_multi"]), None
        assert not index.is_accessible()


def test_inline_editing_needs_editable_columns(app, world, monkeypatch):
    """教师信息 may be edited, but has no column edited in the list: its ajax update is 403."""
    view = _view(app, "teachers")
    assert view.can_edit and not view.column_editable_list
    with app.test_request_context():
        _signed_in(world, "unit_gz1")
        assert view._handle_view("edit_view") is None
        with pytest.raises(Forbidden):
            view._handle_view("ajax_update")
        monkeypatch.setattr(view, "column_editable_list", ["name"])
        assert view._handle_view("ajax_update") is None


def test_a_32_bit_key_past_its_range_is_not_found(app, world, as_):
    teachers = _view(app, "teachers")
    with as_("unit_gz1"):
        for bad in (str(2**31), str(-(2**31) - 1)):
            with pytest.raises(NotFound):
                teachers.coerce_pk(bad)


def _statements(fn):
    """The SQL statements `fn()` runs."""
    with statements() as seen:
        fn()
    return seen


def test_an_ajax_lookup_pages_inside_the_bounds(app, world, as_):
    """深圳 unit's four people by name: pe_moved, pe_rebound, pe_sz_none, pe_sz_ok; offset and limit are clamped."""
    loader = ScopedAjaxLoader("person", db.session, Person, fields=["name"], order_by="name")
    with as_("unit_sz"):
        def names(*args, **kwargs):
            return [p.name for p in loader.get_list(*args, **kwargs)]

        everyone = ["pe_moved", "pe_rebound", "pe_sz_none", "pe_sz_ok"]
        assert names("pe_") == everyone
        assert names(None) == everyone  # no term: everyone in scope
        assert names("") == everyone
        assert names("pe_", offset=1, limit=1) == ["pe_rebound"]
        assert names("pe_", offset=1) == ["pe_rebound", "pe_sz_none", "pe_sz_ok"]
        assert names("pe_", offset=-3, limit=-3) == ["pe_moved"]  # offset 0, limit 1
        assert names("pe_", offset=None, limit=None) == everyone
        assert names("pe_", offset=10**12, limit=10**12) == []  # offset 10,000: past the rows, no error


def test_an_ajax_id_out_of_range_is_refused_without_a_query(app, world, as_):
    """PostgreSQL would fail on an integer past the column's range: such an id never reaches the database."""
    loader = ScopedAjaxLoader("person", db.session, Person, fields=["name"])
    with as_("unit_sz"):
        for bad in (str(2**31), str(-(2**31) - 1)):
            ran = _statements(lambda: loader.get_one(bad))
            assert ran == [], bad
        for edge in (str(2**31 - 1), str(-(2**31))):
            ran = _statements(lambda: loader.get_one(edge))
            assert len([s for s in ran if "FROM person" in s]) == 1, edge


def test_actions_check_every_posted_id_before_running(app, world):
    view = _view(app, "transfer_log")
    mine, theirs = world.ids["tr_wait"], world.ids["tr_cancelled"]
    for ids, refused in (([mine, theirs], True), ([theirs], True), ([mine], False)):
        with app.test_request_context("/admin/transfer_log/action/", method="POST",
                                      data={"action": "none", "rowid": [str(i) for i in ids]}):
            _signed_in(world, "unit_gz1")
            if refused:
                with pytest.raises(NotFound):
                    view.handle_action()
            else:
                assert view.handle_action().headers["Location"] == "/admin/transfer_log/"
                assert view.handle_action("details_view").headers["Location"] == "/admin/transfer_log/details/"


def test_view_errors_are_flashed_as_errors(app, world, as_):
    view = _view(app, "teachers")
    with as_("unit_gz1"):
        view.handle_view_exception(ValidationError("保存后的记录不在您的管理范围内"))
        view.handle_view_exception(IntegrityError("INSERT", {}, Exception("dup")))
        assert get_flashed_messages(with_categories=True) == [
            ("error", "保存后的记录不在您的管理范围内"), ("error", "保存失败：与已有记录重复，或引用的数据已不存在"),
        ]


def test_a_save_outside_scope_says_so_exactly(app, world, as_):
    view = _view(app, "teachers")
    with as_("unit_gz1"):
        teacher = row(world, Teacher, "te_gz1")
        teacher.org_id = world.ids["or_unit_sz"]
        with pytest.raises(ValidationError) as refused:
            view.on_model_change(None, teacher, False)
        assert str(refused.value) == "保存后的记录不在您的管理范围内，未保存"
        db.session.rollback()


def test_every_relation_field_of_a_form_is_scoped_whatever_its_place(app, world, as_):
    """A plain field first, then two relation fields: each offers only rows in scope."""
    from flask_admin.contrib.sqla.fields import QuerySelectField
    from wtforms import Form, StringField

    class Probe(Form):
        note = StringField("备注")
        person = QuerySelectField("人员", query_factory=lambda: db.session.query(Person))
        teacher = QuerySelectField("教师", query_factory=lambda: db.session.query(Teacher))

    view = _view(app, "teachers")
    with as_("unit_sz"):
        form = view._scope_relation_fields(Probe())
        assert {p.name for p in form.person.query_factory() if p.name.startswith("pe_")} == {
            "pe_sz_ok", "pe_moved", "pe_rebound", "pe_sz_none"}
        assert {t.name for t in form.teacher.query_factory()} == {"te_sz"}


def test_the_create_and_edit_forms_offer_only_rows_in_scope(app, world, as_):
    view = _view(app, "org_members")
    with as_("unit_gz1"):
        membership = row(world, Membership, "u_multi@or_unit_gz1")
        form = view.edit_form(membership)
        assert [str(r) for r in form.roles.data] == ["ro_gz1_staff"]  # the row's own values, not a blank form
        created = view.create_form()
        assert {str(role) for role in created.roles.query_factory()} == {"ro_gz1_staff"}
