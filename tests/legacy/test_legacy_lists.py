"""历史继续教育记录查询 and 历史证书查询/打印 (000 §1.11) through HTTP: who sees which rows (details and
export included), the person's own history from their menu, and the certificate PDF marked 历史证书."""
import io

from pypdf import PdfReader
from sqlalchemy import select

from backoffice.demo_legacy import OLD_SZ
from backoffice.extensions import db
from backoffice.models import LegacyCertificate, LegacyPerson, LegacyRecord

from legacy_helpers import CERTIFICATES, RECORDS, UNIT_A, old_people, scheme_one
from pages import list_table


def _ids(app, model, old_unit_code):
    with app.app_context():
        people = [p.id for p in old_people(app, old_unit_code)]
        return list(db.session.scalars(select(model.id).where(model.legacy_person_id.in_(people)).order_by(model.id)))


def _liu_certificate(app):
    """刘文斌's old certificate (深圳示范科技公司, bound to 深圳示范科技有限公司 by the demo)."""
    with app.app_context():
        liu = db.session.scalar(select(LegacyPerson).where(LegacyPerson.name == "刘文斌"))
        return db.session.scalar(
            select(LegacyCertificate).where(LegacyCertificate.legacy_person_id == liu.id)
            .order_by(LegacyCertificate.year)
        )


def test_the_bound_unit_lists_its_old_records_and_another_unit_gets_404(app, login_as):
    shenzhen = login_as("unit_b")
    table = list_table(shenzhen.get(RECORDS).get_data(as_text=True))
    assert "刘文斌" in table and "高等教育教学方法研究" in table
    record_id = _ids(app, LegacyRecord, OLD_SZ[0])[0]
    assert shenzhen.get(f"{RECORDS}details/?id={record_id}").status_code == 200
    university = login_as("unit_a", UNIT_A)
    assert "刘文斌" not in list_table(university.get(RECORDS).get_data(as_text=True))
    assert university.get(f"{RECORDS}details/?id={record_id}").status_code == 404
    export = university.get(f"{RECORDS}export/csv/")
    assert export.status_code == 200 and "刘文斌" not in export.get_data(as_text=True)
    certificate = _liu_certificate(app)
    assert university.get(f"{CERTIFICATES}details/?id={certificate.id}").status_code == 404
    assert university.get(f"{CERTIFICATES}print/?id={certificate.id}").status_code == 404


def test_an_unbound_old_unit_is_nobodys_until_bound(app, login_as):
    university = login_as("unit_a", UNIT_A)
    assert "郑国栋" not in list_table(university.get(RECORDS).get_data(as_text=True))
    hr = login_as("gz_hr")
    assert "郑国栋" not in list_table(hr.get(RECORDS).get_data(as_text=True))
    scheme_one(university)
    assert "郑国栋" in list_table(university.get(RECORDS).get_data(as_text=True))
    # 广州's HR reads the history of its region's units; 深圳's bound unit is not in its region
    table = list_table(hr.get(f"{RECORDS}?page_size=100").get_data(as_text=True))
    assert "郑国栋" in table and "刘文斌" not in table


def test_filters_narrow_the_list(app, login_as):
    shenzhen = login_as("unit_b")
    html = shenzhen.get(f"{RECORDS}?flt0_0=刘文斌").get_data(as_text=True)
    table = list_table(html)
    assert "刘文斌" in table and "吴海燕" not in table


def test_the_person_reads_their_own_history_once_linked(app, login_as):
    liu = login_as("p_liu")
    menu = liu.get("/admin/").get_data(as_text=True)
    assert "历史继续教育记录查询" in menu and "历史证书查询/打印" in menu
    table = list_table(liu.get(RECORDS).get_data(as_text=True))
    assert "刘文斌" in table
    certificate = _liu_certificate(app)
    assert liu.get(f"{CERTIFICATES}details/?id={certificate.id}").status_code == 200
    chen = login_as("p_chen")  # 广州示范学院 is not bound yet: 陈诗慧 has no linked history
    assert "高等教育教学方法研究" not in list_table(chen.get(RECORDS).get_data(as_text=True))
    assert chen.get(f"{CERTIFICATES}print/?id={certificate.id}").status_code == 404


def test_a_legacy_certificate_prints_as_a_pdf_marked_historical(app, login_as):
    certificate = _liu_certificate(app)
    response = login_as("p_liu").get(f"{CERTIFICATES}print/?id={certificate.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "刘文斌" in text and "历史证书" in text and certificate.number in text
    assert _embedded_fonts(reader.pages[0])


def _embedded_fonts(page) -> set[str]:
    """Fonts whose program is inside the PDF (a viewer without Chinese fonts still shows the text)."""
    found = set()
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described.get("/FontDescriptor")
        programs = ("/FontFile", "/FontFile2", "/FontFile3")
        if descriptor is not None and any(key in descriptor.get_object() for key in programs):
            found.add(str(described["/BaseFont"]))
    return found


def test_the_print_route_refuses_malformed_ids(login_as):
    liu = login_as("p_liu")
    for bad in ("", "abc", "99999999999", "1,2"):
        assert liu.get(f"{CERTIFICATES}print/?id={bad}").status_code == 404


def test_roles_without_the_modules_are_refused(login_as):
    assert login_as("inst_a").get(RECORDS).status_code == 403
    assert login_as("gd_edu").get(CERTIFICATES).status_code == 403
    assert login_as("helpdesk").get(RECORDS).status_code == 403


def test_the_lists_cost_the_same_queries_however_many_rows(app, login_as, counting):
    clients = {url: login_as("unit_b") for url in (RECORDS, CERTIFICATES)}

    def measure():
        counts = {}
        for url, client in clients.items():
            client.get(f"{url}?page_size=100")
            with counting() as statements:
                assert client.get(f"{url}?page_size=100").status_code == 200
            counts[url] = len(statements)
        return counts

    before = measure()
    with app.app_context():
        person = db.session.scalar(select(LegacyPerson).where(LegacyPerson.name == "刘文斌"))
        for n in range(30):
            db.session.add(LegacyRecord(legacy_person_id=person.id, year=2014, course_type="public",
                                        course_name=f"加测课程{n}", hours=6))
            db.session.add(LegacyCertificate(legacy_person_id=person.id, year=2014, number=f"2014999{n:04d}", hours=6))
        db.session.commit()
    assert measure() == before
