"""The pages of 培训班考勤设置, 学员成绩管理 and 扫码签到 read as the rest of the product (the page walk reaches
only menus and details pages): Chinese only, no "None", no ISO time, no inline script, the CSP header."""
import io
import re
from datetime import datetime, time

from sqlalchemy import select

from backoffice.demo import ACCOUNTS, SERIES
from backoffice.extensions import db
from backoffice.models import AttendanceSession, TrainingClass
from backoffice.workflows import attendance

from training_helpers import ATTENDANCE, INST_CLASS, RESULTS, UNIT_A, UNIT_CLASS, enrol, one
from wording import problems

DATA_WORDS = {login for login, *_ in ACCOUNTS} | {code for code, _ in SERIES}


def _read(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    assert "Content-Security-Policy" in response.headers, url
    html = response.get_data(as_text=True)
    assert problems(html, DATA_WORDS) == [], (url, problems(html, DATA_WORDS))
    return html


def test_the_owners_pages_read_in_chinese(app, login_as):
    for login, org, name in (("unit_a", UNIT_A, UNIT_CLASS), ("inst_a", None, INST_CLASS)):
        client = login_as(login, org)
        training_class = one(app, TrainingClass, name=name)
        with app.app_context():
            sessions = db.session.scalars(select(AttendanceSession.id).where(AttendanceSession.class_id == training_class.id)).all()
        assert sessions
        for url in (f"{ATTENDANCE}/", f"{RESULTS}/", f"{ATTENDANCE}/sessions/?id={training_class.id}",
                    f"{ATTENDANCE}/summary/?id={training_class.id}", f"{RESULTS}/grid/?id={training_class.id}",
                    f"{RESULTS}/import/?id={training_class.id}",
                    *(f"{ATTENDANCE}/session/?id={s}" for s in sessions)):
            _read(client, url)
        upload = client.post(
            f"{RESULTS}/import/upload/?id={training_class.id}",
            {"file": (io.BytesIO("公民身份号码,姓名,成绩,考核结果\n1,某人,101,优\n".encode("utf-8-sig")), "成绩.csv")},
            token_page=f"{RESULTS}/import/?id={training_class.id}", content_type="multipart/form-data",
        ).get_data(as_text=True)
        assert problems(upload, DATA_WORDS) == [] and "有误 1 行" in upload


def test_the_qr_code_is_inline_svg_under_the_csp(app, login_as):
    unit = login_as("unit_a", UNIT_A)
    session = one(app, AttendanceSession, class_id=one(app, TrainingClass, name=UNIT_CLASS).id)
    html = _read(unit, f"{ATTENDANCE}/session/?id={session.id}")
    qr = re.search(r'<div id="checkin-qr">(.*?)</div>', html, re.S).group(1)
    assert qr.strip().startswith("<svg") and "<path" in qr and "<image" not in qr and "http" not in qr.split("xmlns", 1)[1].split(">", 1)[1]


def test_the_check_in_pages_read_in_chinese(app, login_as, monkeypatch):
    unit = login_as("unit_a", UNIT_A)
    session = one(app, AttendanceSession, class_id=one(app, TrainingClass, name=UNIT_CLASS).id)
    html = unit.get(f"{ATTENDANCE}/session/?id={session.id}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" id="checkin-link"', html).group(1).removeprefix("http://localhost")
    chen = login_as("p_chen")
    _read(chen, link)  # the demo's scan: 已签到
    monkeypatch.setattr(attendance, "beijing_now", lambda: datetime.combine(session.on_date, time(23, 0)))
    _read(login_as("p_liu"), link, 403)
    _read(chen, "/checkin/forged", 400)


def test_the_grids_cost_the_same_queries_for_more_enrolees(app, login_as, counting):
    unit = login_as("unit_a", UNIT_A)
    training_class = one(app, TrainingClass, name=UNIT_CLASS)
    session = one(app, AttendanceSession, class_id=training_class.id)
    urls = [f"{ATTENDANCE}/session/?id={session.id}", f"{ATTENDANCE}/summary/?id={training_class.id}",
            f"{ATTENDANCE}/sessions/?id={training_class.id}", f"{RESULTS}/grid/?id={training_class.id}"]

    def measure():
        counts = []
        for url in urls:
            unit.get(url)
            with counting() as statements:
                assert unit.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    before = measure()
    for name in ("吴志刚", "郑晓燕", "冯国栋", "蒋丽华"):
        enrol(app, training_class.id, name)
    unit.post(f"{ATTENDANCE}/session/present/?id={session.id}", {}, token_page=urls[0])
    assert measure() == before
