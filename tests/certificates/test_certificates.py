"""继续教育证书打印 through HTTP (issue 11 items 6–7): who may print whose certificate, the PDF itself (the
holder's name as text in an embedded CJK font), 重新生成 voiding the old number, 撤销, 重新统计学时, and
`/verify/<number>` for anyone."""
import io
import re
from datetime import datetime
from decimal import Decimal

import html5lib
from flask import render_template
from pypdf import PdfReader
from sqlalchemy import func, select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.models import AuditLog, Certificate, Person, Record
from backoffice.workflows.certificates import mask_id

from pages import flashes

LAST_YEAR = beijing_today().year - 1  # the demo's verified year: 陈诗慧 and 赵明远 pass, 刘文斌 and 蒋丽华 fail;
# 广州示范大学 has printed 陈诗慧's certificate already
UNIT_LIST = "/admin/certificate_print/"
MINE = "/admin/my_certificates/"


def _person(app, name):
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.name == name))


def _print(client, page, person_ids, year=LAST_YEAR, what="print"):
    return client.post(
        f"{page}{what}/", {"id": [str(i) for i in person_ids], "year": str(year)}, token_page=page,
    )


def _pdf_text(response) -> tuple[str, set]:
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(described["/BaseFont"]))
    return text, fonts


def _certificates(app, name):
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == name))
        return db.session.execute(
            select(Certificate.number, Certificate.status, Certificate.total_hours)
            .where(Certificate.person_id == person.id).order_by(Certificate.id)
        ).all()


def test_a_person_prints_their_own_certificate_with_the_name_in_an_embedded_font(app, login_as):
    chen = login_as("p_chen")
    page = chen.get(MINE).get_data(as_text=True)
    assert f'data-year="{LAST_YEAR}"' in page and "通过" in page
    response = _print(chen, MINE, [_person(app, "陈诗慧").id])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text, fonts = _pdf_text(response)
    assert "陈诗慧" in text and "专业技术人员继续教育证书" in text
    assert "440106********" in text and _person(app, "陈诗慧").id_number not in text  # the ID number masked
    assert fonts and all("cjk" in f.lower() or "wenquanyi" in f.lower() or "wqy" in f.lower() for f in fonts), fonts
    [(number, status, total)] = _certificates(app, "陈诗慧")
    assert (status, total) == ("valid", Decimal(90)) and number.startswith(str(LAST_YEAR)) and number in text

    # printing again prints the same certificate: no new number
    _print(chen, MINE, [_person(app, "陈诗慧").id])
    assert [n for n, _, _ in _certificates(app, "陈诗慧")] == [number]


def test_a_failing_year_prints_nothing_and_says_why(app, login_as):
    unit = login_as("unit_b")  # 深圳示范科技有限公司: 刘文斌 has 64 hours, short of 90
    liu = _person(app, "刘文斌")
    listing = unit.get(f"{UNIT_LIST}?year={LAST_YEAR}").get_data(as_text=True)
    assert "刘文斌" in listing and "不通过" in listing and "[打印]" not in listing
    response = _print(unit, UNIT_LIST, [liu.id])
    assert response.status_code == 302
    assert "年度验证不通过" in flashes(unit.get(response.headers["Location"]).get_data(as_text=True))
    assert _certificates(app, "刘文斌") == []


def test_regenerating_voids_the_old_number_and_verify_says_so(app, login_as, client):
    unit = login_as("unit_a", "广州示范大学")
    chen = _person(app, "陈诗慧")
    _print(unit, UNIT_LIST, [chen.id])
    [(first, _, _)] = _certificates(app, "陈诗慧")
    response = _print(unit, UNIT_LIST, [chen.id], what="regenerate")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (old, old_status, _), (new, new_status, _) = _certificates(app, "陈诗慧")
    assert (old, old_status, new_status) == (first, "void", "valid") and new != first

    voided = client.get(f"/verify/{first}")
    assert voided.status_code == 200 and "已作废" in voided.get_data(as_text=True)
    valid = client.get(f"/verify/{new}").get_data(as_text=True)
    assert "有效" in valid and "陈*慧" in valid and "陈诗慧" not in valid and chen.id_number not in valid
    assert "90" in valid
    unknown = client.get(f"/verify/{LAST_YEAR}0000000000{'0' * 4}")
    assert unknown.status_code == 404 and "未找到证书号" in unknown.get_data(as_text=True)
    assert client.get("/verify/abc<script>").status_code == 404


def test_hr_revokes_a_certificate_with_a_reason(app, login_as, client):
    unit = login_as("unit_a", "广州示范大学")
    chen = _person(app, "陈诗慧")
    _print(unit, UNIT_LIST, [chen.id])
    with app.app_context():
        certificate = db.session.scalar(select(Certificate).where(Certificate.person_id == chen.id))
    hr = login_as("gz_hr")
    listing = hr.get(f"{UNIT_LIST}?year={LAST_YEAR}&q={chen.id_number[:10]}").get_data(as_text=True)
    assert certificate.number in listing and "[撤销]" in listing
    url = f"{UNIT_LIST}revoke/?id={certificate.id}"
    empty = hr.post(url, {"reason": "  "}, token_page=url)
    assert empty.status_code == 200 and "请填写撤销原因" in empty.get_data(as_text=True)
    done = hr.post(url, {"reason": "学时材料造假，经核查撤销"}, token_page=url)
    assert done.status_code == 302
    assert _certificates(app, "陈诗慧")[0][1] == "revoked"
    assert "已撤销" in client.get(f"/verify/{certificate.number}").get_data(as_text=True)
    # a unit may not revoke, nor HR of another city
    assert unit.get(url).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "revoke_certificate", AuditLog.object_id == str(certificate.id))) == 1


def test_batch_printing_makes_one_pdf_of_all_selected(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    chen, zhao = _person(app, "陈诗慧"), _person(app, "赵明远")
    response = _print(unit, UNIT_LIST, [chen.id, zhao.id])
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.get_data()))
    assert len(reader.pages) == 2
    text = "".join(p.extract_text() for p in reader.pages)
    assert "陈诗慧" in text and "赵明远" in text


def test_recount_names_certificates_the_records_no_longer_match(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    chen = _person(app, "陈诗慧")
    _print(unit, UNIT_LIST, [chen.id])
    response = _print(unit, UNIT_LIST, [chen.id], what="recount")
    assert "证书学时与认定学时一致" in flashes(unit.get(response.headers["Location"]).get_data(as_text=True))
    with app.app_context():  # one more approved record after printing
        record = db.session.scalar(select(Record).where(Record.person_id == chen.id, Record.year == LAST_YEAR))
        record.approved_hours += 6
        db.session.commit()
    response = _print(unit, UNIT_LIST, [chen.id], what="recount")
    shown = flashes(unit.get(response.headers["Location"]).get_data(as_text=True))
    assert "请重新生成证书" in shown and "陈诗慧" in shown and "现为96学时" in shown


def test_nobody_prints_a_certificate_of_someone_outside_their_scope(app, login_as):
    liu = _person(app, "刘文斌")  # 深圳示范科技有限公司's
    chen = _person(app, "陈诗慧")
    before = _certificates(app, "陈诗慧"), _certificates(app, "刘文斌")
    assert _print(login_as("unit_a", "广州示范大学"), UNIT_LIST, [liu.id]).status_code == 404
    assert _print(login_as("unit_a", "广州示范大学"), UNIT_LIST, [chen.id, liu.id]).status_code == 404
    assert _print(login_as("p_liu"), MINE, [chen.id]).status_code == 404
    institution = login_as("inst_a")  # no 证书打印 module at all
    refused = institution.post(f"{UNIT_LIST}print/", {"id": str(chen.id), "year": str(LAST_YEAR)}, token_page="/admin/")
    assert refused.status_code == 403
    assert (_certificates(app, "陈诗慧"), _certificates(app, "刘文斌")) == before


def test_hr_and_industry_search_before_a_list_is_shown(app, login_as):
    hr = login_as("gz_hr")
    assert "请输入姓名或公民身份号码" in hr.get(UNIT_LIST).get_data(as_text=True)
    found = hr.get(f"{UNIT_LIST}?year={LAST_YEAR}&q=陈诗").get_data(as_text=True)
    assert "陈诗慧" in found and "赵明远" not in found
    # bad parameters are read as defaults, never a 500
    for query in ("year=abc", "year=99999", "page=-5", "page=abc", "q=" + "x" * 300):
        assert hr.get(f"{UNIT_LIST}?{query}").status_code == 200, query


def test_the_unit_lists_its_people_of_the_year(app, login_as):
    unit = login_as("unit_a", "广州示范大学")
    page = unit.get(f"{UNIT_LIST}?year={LAST_YEAR}").get_data(as_text=True)
    rows = re.findall(r'<tr data-person="(\d+)"', page)
    assert {int(i) for i in rows} == {_person(app, "陈诗慧").id, _person(app, "赵明远").id}
    assert "共 2 条" in page


def test_each_page_of_a_batch_is_a_sibling_of_the_one_before(app):
    """批量打印 takes up to 500 people in one PDF. xhtml2pdf parses with html5lib, which ignores the `/` of an
    unknown element's `<pdf:nextpage />`: every later page nested inside the break before it, and at 500
    pages freeing the tree overflowed Python's recursion limit (bench/operations.py found it)."""
    certificate = Certificate(
        number="202500000000000001", holder_name="陈诗慧", id_number="440106199001011228", year=2025,
        series_name="高校教师", public_courses=1, public_hours=Decimal(30), professional_courses=1,
        professional_hours=Decimal(60), elective_courses=0, elective_hours=Decimal(0), total_hours=Decimal(90),
        passed=True, issuer_name="广东省人力资源和社会保障厅", issued_at=datetime(2026, 1, 5, 2, 0),
    )
    with app.test_request_context():
        html = render_template("certificates/pdf.html", pages=[(certificate, "data:,", "x")] * 3, mask_id=mask_id)
    document = html5lib.parse(html, treebuilder="dom")

    headings = document.getElementsByTagName("h1")
    assert len(headings) == 3
    assert {h.parentNode.tagName for h in headings} == {"body"}
