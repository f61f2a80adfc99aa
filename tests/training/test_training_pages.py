"""Every training page opens for its users, in Chinese, without inline event handlers (the CSP refuses
them) and with the same headers as the rest of the back office."""
import re

from backoffice.models import Catalogue, Plan, Qualification, TrainingClass

from training_helpers import APPLY, CATALOGUES, CLASSES, QUAL_APPLY, QUAL_REVIEW, QUERY, REVIEW, YEAR, one

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=")


def test_training_pages_open_without_inline_handlers(app, login_as):
    catalogue = one(app, Catalogue, year=YEAR)
    draft = one(app, Plan, name=f"{YEAR}年青年教师教学能力提升培训")
    pending_gd = one(app, Plan, name=f"{YEAR}年高等教育数字化转型研修")
    approved = one(app, Plan, name=f"{YEAR}年高校教师教学能力提升研修班")
    draft_class = one(app, TrainingClass, plan_id=draft.id)
    running = one(app, TrainingClass, name=f"{approved.name}第3期")
    qualification = one(app, Qualification, status="approved")
    pages = {
        ("gd_edu", None): [
            f"{CATALOGUES}/", f"{CATALOGUES}/details/?id={catalogue.id}", f"{CATALOGUES}/new/",
            f"{CATALOGUES}/course/?id={catalogue.id}", f"{REVIEW}/", f"{REVIEW}/details/?id={pending_gd.id}",
            f"{REVIEW}/batch/?id={pending_gd.id}", f"{QUERY}/", f"{QUAL_REVIEW}/",
        ],
        ("unit_a", "广州示范大学"): [
            f"{APPLY}/", f"{APPLY}/new/", f"{APPLY}/courses/", f"{APPLY}/details/?id={draft.id}",
            f"{APPLY}/edit/?id={draft.id}", f"{APPLY}/classes/form/?id={draft.id}",
            f"{APPLY}/classes/form/?id={draft.id}&class_id={draft_class.id}",
            f"{APPLY}/classes/view/?id={draft.id}&class_id={draft_class.id}", f"{QUERY}/", f"{CLASSES}/",
        ],
        ("inst_a", None): [
            f"{QUAL_APPLY}/", f"{QUAL_APPLY}/new/", f"{QUAL_APPLY}/details/?id={qualification.id}",
            f"{QUERY}/details/?id={approved.id}", f"{CLASSES}/", f"{CLASSES}/details/?id={running.id}",
            f"{CLASSES}/status/?id={running.id}&move=finish",
        ],
    }
    for (login, org), urls in pages.items():
        client = login_as(login, org)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (login, url)
            html = response.get_data(as_text=True)
            assert not INLINE_HANDLER.findall(html), (url, INLINE_HANDLER.findall(html)[:3])
            assert "Content-Security-Policy" in response.headers, url
