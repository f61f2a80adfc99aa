"""The things that make the back office read as one product: who you are, where you are, forms that help,
and facts that agree from screen to screen (issue #9 items 5–7)."""
import re
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, OrgKind, TransferStatus
from backoffice.models import AuditLog, Dishonesty, Organisation, Person, PersonChange, ReviewLog, Transfer
from backoffice.validators import make_citizen_id, sex_from_id
from backoffice.views.audit import unlabelled_columns
from pages import list_table

# ---- identity and navigation ---------------------------------------------------------------------


def _identity(html: str) -> str:
    who = re.search(r'<span id="acting-org">([^<]*)</span> · <span id="acting-name">([^<]*)</span>', html)
    return f"{who.group(1)} · {who.group(2)}"


def test_one_identity_label_per_kind_of_actor(login_as):
    assert _identity(login_as("unit_a", "广州示范大学").get("/admin/").get_data(as_text=True)) == "广州示范大学 · 林建华"
    assert _identity(login_as("admin").get("/admin/").get_data(as_text=True)) == "系统管理员 · admin"
    assert _identity(login_as("p_chen").get("/admin/").get_data(as_text=True)) == "专业技术人员 · 陈诗慧"


def test_system_roles_are_not_offered_organisation_accounts(login_as):
    for login in ("admin", "helpdesk"):
        html = login_as(login).get("/admin/").get_data(as_text=True)
        assert "切换单位账号" not in html and "我经办的单位账号" not in html
    html = login_as("unit_a", "广州示范大学").get("/admin/").get_data(as_text=True)
    assert "切换单位账号" in html and "我经办的单位账号" in html


def test_own_pages_sit_inside_the_shell_once_acting(login_as):
    client = login_as("unit_a", "广州示范大学")
    for url, heading in [("/me/profile", "个人信息"), ("/me/bindings", "我经办的单位账号"),
                         ("/select-org", "选择单位账号"), ("/change-password", "修改密码")]:
        html = client.get(url).get_data(as_text=True)
        assert 'id="admin-navbar-collapse"' in html, url  # the menu is there
        assert html.count("<h4") == 1 and f">{heading}</h4>" in html, url


def test_before_choosing_an_organisation_the_sign_in_card_stays(client):
    client.login("unit_a")  # two organisations: nothing chosen yet
    html = client.get("/select-org").get_data(as_text=True)
    assert 'id="admin-navbar-collapse"' not in html and "使用选中的单位账号登录" in html


def test_every_page_has_one_heading(app, login_as):
    client = login_as("gz_hr")
    with app.app_context():
        waiting = db.session.scalar(select(Organisation.id).where(Organisation.name == "广州示范科技学校"))
    for url, heading in [("/admin/", "工作台"), ("/admin/review_units/", "审核法人单位"),
                         (f"/admin/review_units/details/?id={waiting}", "审核法人单位 › 审核"),
                         (f"/admin/review_units/batch/?id={waiting}", "审核法人单位 › 批量审核"),
                         ("/admin/oversee_units/", "管理法人单位"), ("/admin/audit_log/", "操作日志")]:
        response = client.get(url)
        assert response.status_code == 200, url
        headings = re.findall(r"<h4\b[^>]*>(.*?)</h4>", response.get_data(as_text=True), re.S)
        assert [" ".join(re.sub("<[^>]+>", " ", h).split()) for h in headings] == [heading], url


def test_a_favicon_is_served(client):
    assert 'rel="icon"' in client.get("/login").get_data(as_text=True)
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data


# ---- forms that help ------------------------------------------------------------------------------


def test_registration_starts_on_three_different_questions_and_keeps_what_was_typed(client):
    page = client.get("/register/person").get_data(as_text=True)
    chosen = re.findall(r'<select[^>]*name="question\d"[^>]*>.*?<option selected value="([^"]*)"', page, re.S)
    assert len(chosen) == 3 and len(set(chosen)) == 3
    assert page.count('<strong class="text-danger">*</strong>') >= 8  # required fields marked

    typed = {
        "login": "keep_me", "password": "Keep2026abc", "confirm": "Other2026abc", "real_name": "留住",
        "mobile": "13912345678", "country": "中国", "id_type": "resident_id",
        "id_number": make_citizen_id("440106", date(1990, 2, 3), "511"), "email": "keep@example.cn",
        "question1": chosen[0], "answer1": "甲", "question2": chosen[1], "answer2": "乙",
        "question3": chosen[2], "answer3": "丙",
    }
    html = client.post("/register/person", typed, token_page="/register/person").get_data(as_text=True)
    assert "两次输入的密码不一致" in html
    for name in ("login", "real_name", "mobile", "id_number", "email", "answer1", "answer3"):
        assert f'value="{typed[name]}"' in html, name
    assert "Keep2026abc" not in html and "Other2026abc" not in html


def test_the_profile_questions_start_different_for_an_account_without_any(app, login_as):
    from backoffice.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "p_liu"))
        user.question1 = user.question2 = user.question3 = None
        db.session.commit()
    page = login_as("p_liu").get("/me/profile").get_data(as_text=True)
    chosen = re.findall(r'<select[^>]*name="question\d"[^>]*>.*?<option selected value="([^"]*)"', page, re.S)
    assert len(chosen) == 3 and len(set(chosen)) == 3 and "" not in chosen


def test_a_unit_releases_one_person_from_the_row(app, login_as):
    client = login_as("unit_b")
    listing = client.get("/admin/person_maintain/").get_data(as_text=True)
    with app.app_context():
        feng = db.session.scalar(select(Person).where(Person.name == "冯国栋"))
    row = re.search(rf'<tr>(?:(?!</tr>).)*冯国栋(?:(?!</tr>).)*</tr>', list_table(listing), re.S).group(0)
    assert "[解除绑定]" in row and "data-confirm=" in row
    response = client.post(f"/admin/person_maintain/release/?id={feng.id}", token_page="/admin/person_maintain/")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Person, feng.id).unit_id is None
    assert "冯国栋" not in list_table(client.get("/admin/person_maintain/").get_data(as_text=True))


# ---- facts that agree -----------------------------------------------------------------------------


def _operator_cells(html: str) -> list[str]:
    table = list_table(html)
    headers = re.findall(r'<th class="column-header[^"]*">\s*(?:<a[^>]*>)?\s*([^<\s]+)', table)
    column = headers.index("操作人")
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("</thead>", 1)[-1], re.S)
    cells = [re.findall(r'<td class="col-[^"]*">\s*(.*?)\s*</td>', row, re.S) for row in rows]
    return [c[column] for c in cells if len(c) > column]


def test_the_operator_of_a_dishonesty_entry_reads_the_same_everywhere(login_as):
    entry = _operator_cells(login_as("unit_a", "广州示范大学").get("/admin/dishonesty_entry/").get_data(as_text=True))
    assert entry == ["林建华（广州示范大学）"]
    about_hospital = _operator_cells(login_as("unit_c").get("/admin/dishonesty_org/").get_data(as_text=True))
    by_hr = _operator_cells(login_as("gz_hr").get("/admin/dishonesty_entry/").get_data(as_text=True))
    assert about_hospital == by_hr == ["李美玲（广州市人力资源和社会保障局）"]


def test_seeded_objects_carry_their_history_like_real_ones(app):
    with app.app_context():
        approved = db.session.scalars(
            select(Organisation).where(Organisation.status == ApplicationStatus.APPROVED,
                                       Organisation.kind != OrgKind.HR)
        ).all()
        assert approved
        for org in approved:
            steps = db.session.scalars(
                select(ReviewLog.result).where(ReviewLog.object_type == "organisation", ReviewLog.object_id == org.id)
                .order_by(ReviewLog.id)
            ).all()
            assert steps == ["submit", "approve"], org.name
            assert org.reviewer_org_id is not None and org.submitted_at is not None
        transfer = db.session.scalar(select(Transfer).where(Transfer.status == TransferStatus.PENDING))
        assert db.session.scalar(select(ReviewLog.step).where(
            ReviewLog.object_type == "transfer", ReviewLog.object_id == transfer.id)) == "人员调出"
        change = db.session.scalar(select(PersonChange))
        assert db.session.scalar(select(ReviewLog.result).where(
            ReviewLog.object_type == "person_change", ReviewLog.object_id == change.id)) == "submit"
        assert all(d.recorded_by_user_id for d in db.session.scalars(select(Dishonesty)))


def test_demo_names_match_the_sex_of_their_id_numbers(app):
    expected = {"赵明远": "男", "钱雅琴": "女", "孙立新": "男", "周慧芳": "女", "吴志刚": "男", "郑晓燕": "女",
                "冯国栋": "男", "陈晓东": "男", "褚文静": "女", "卫建平": "男", "蒋丽华": "女", "沈国强": "男",
                "韩雪梅": "女", "杨振宇": "男", "陈诗慧": "女", "刘文斌": "男", "王新": "男"}
    with app.app_context():
        people = {p.name: p for p in db.session.scalars(select(Person).where(Person.name.in_(expected)))}
    assert {name: sex_from_id(p.id_number) for name, p in people.items()} == expected
    assert all(p.sex == sex_from_id(p.id_number) for p in people.values())


def test_every_column_the_audit_log_can_show_has_a_name(app):
    from backoffice.labels import ObjectType

    with app.test_request_context():
        assert unlabelled_columns() == []
    assert set(db.metadata.tables) <= set(ObjectType.values())  # every table has a name too


def test_the_audit_log_shows_what_changed_as_labelled_fields(app, login_as):
    client = login_as("admin")
    with app.app_context():
        row = db.session.scalar(select(AuditLog).where(AuditLog.object_type == "person_change"))
    html = client.get(f"/admin/audit_log/details/?id={row.id}").get_data(as_text=True)
    changes = html.split("audit-changes", 1)[1].split("</table>", 1)[0]
    assert "人员信息修改申请" in html and "钱雅琴的信息修改" in html
    assert "资格级别：副高级" in changes and "待审核" in changes and "广州示范大学" in changes
    assert "vice_senior" not in changes and "reviewer_org_id" not in changes and "T" not in re.sub("<[^>]+>", "", changes)


def test_the_frameworks_messages_read_in_the_products_words(app, login_as):
    from backoffice.models import Teacher

    client = login_as("inst_a")
    with app.app_context():  # 陈建华 teaches no class of the demo, so nothing stops the delete
        chen = db.session.scalar(select(Teacher).where(Teacher.name == "陈建华"))
    html = client.post(
        "/admin/teachers/delete/", {"id": str(chen.id), "url": "/admin/teachers/"},
        token_page="/admin/teachers/", follow_redirects=True,
    ).get_data(as_text=True)
    assert "已删除1条记录" in html and "被成功删除" not in html
