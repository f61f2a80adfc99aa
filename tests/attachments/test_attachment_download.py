"""GET /attachments/<id>: only for whoever may see the owner, always as a download."""
from io import BytesIO
from urllib.parse import quote

from attachment_helpers import HTML, PDF, PNG, stored


def test_the_owner_downloads_with_safe_headers(app, login_as):
    attachment_id, _ = stored(app, PDF, "统一社会信用代码证.pdf")
    response = login_as("unit_c").get(f"/attachments/{attachment_id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('统一社会信用代码证.pdf')}" in disposition


def test_whoever_may_see_the_owner_may_download(app, login_as):
    attachment_id, _ = stored(app, PNG, "扫描件.png")
    for login, org in [("gz_hr", None), ("gd_hr", None), ("unit_a", "广州示范医院"), ("admin", None)]:
        response = login_as(login, org).get(f"/attachments/{attachment_id}")
        assert response.status_code == 200, login
        assert response.mimetype == "image/png"


def test_other_organisations_get_not_found(app, login_as):
    attachment_id, _ = stored(app, PDF, "a.pdf")
    for login, org in [("unit_b", None), ("unit_a", "广州示范大学"), ("gz_edu", None), ("inst_a", None),
                       ("helpdesk", None), ("p_chen", None)]:
        assert login_as(login, org).get(f"/attachments/{attachment_id}").status_code == 404, (login, org)


def test_missing_and_absurd_ids_are_not_found(login_as):
    client = login_as("unit_c")
    assert client.get("/attachments/999999").status_code == 404
    assert client.get("/attachments/99999999999999999999999").status_code == 404
    assert client.get("/attachments/abc").status_code == 404


def test_anonymous_is_sent_to_login(app, client):
    attachment_id, _ = stored(app, PDF, "a.pdf")
    response = client.get(f"/attachments/{attachment_id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_user_who_has_not_chosen_an_organisation_must_choose_first(app, login_as):
    attachment_id, _ = stored(app, PDF, "a.pdf")
    response = login_as("unit_a").get(f"/attachments/{attachment_id}")  # two organisations, none chosen
    assert response.status_code == 302
    assert "/select-org" in response.headers["Location"]


def test_html_can_never_be_served_inline(app, login_as):
    """Even a row whose file were HTML goes out as a download that the browser must not sniff."""
    attachment_id, path = stored(app, PDF, "a.pdf")
    path.write_bytes(HTML)
    response = login_as("unit_c").get(f"/attachments/{attachment_id}")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_over_size_request_gets_the_chinese_message(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    response = client.http.post(
        "/login",
        data={"file": (BytesIO(b"0" * (2 * 1024 * 1024)), "big.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "上传的文件过大" in response.get_data(as_text=True)
