"""Every response carries CSP (own files only, frame-ancestors 'none'), X-Frame-Options and nosniff;
inline scripts run only with the request's nonce; HTTPS is not forced and the cookie keeps Flask's
settings. (That the pages still work under the policy is shown in a real browser: tests/browser.)"""
import re

import pytest

SCRIPT_RE = re.compile(r"<script\b([^>]*)>", re.S)


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def _assert_protected(response, what):
    policy = _policy(response)
    assert policy["default-src"] == "default-src 'self'", what
    assert policy["frame-ancestors"] == "frame-ancestors 'none'", what
    assert policy["object-src"] == "object-src 'none'", what
    # a request refused before the nonce is made (CSRF) gets none: stricter still
    assert re.fullmatch(r"script-src 'self'( 'nonce-[\w-]+')?", policy["script-src"]), what
    assert "unsafe-inline" not in policy["script-src"], what
    assert response.headers["X-Frame-Options"] == "DENY", what
    assert response.headers["X-Content-Type-Options"] == "nosniff", what


def test_anonymous_pages_and_error_pages_carry_the_headers(client):
    pages = {
        "/login": 200,
        "/forgot-password": 200,
        "/register/person": 200,
        "/no-such-page": 404,
        "/logout": 405,
    }
    for url, status in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert response.mimetype == "text/html", url
        _assert_protected(response, url)
    refused = client.http.post("/login", data={"username": "x", "password": "y"})  # no CSRF token
    assert refused.status_code == 400
    _assert_protected(refused, "CSRF refusal")


@pytest.mark.parametrize(
    "login, org, url, status",
    [
        ("unit_a", "广州示范大学", "/admin/", 200),
        ("unit_a", "广州示范大学", "/admin/person_maintain/", 200),
        ("unit_a", "广州示范大学", "/admin/person_maintain/new/", 200),
        ("unit_a", "广州示范大学", "/admin/teachers/", 200),
        ("p_chen", None, "/admin/my_profile/", 200),
        ("p_chen", None, "/me/profile", 200),
        ("p_chen", None, "/admin/org_roles/", 403),
        ("admin", None, "/admin/series/", 200),
    ],
)
def test_back_office_pages_carry_the_headers_and_nonce_their_inline_scripts(login_as, login, org, url, status):
    client = login_as(login, org)
    response = client.get(url)
    assert response.status_code == status
    _assert_protected(response, url)
    nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.get_data(as_text=True)
    scripts = SCRIPT_RE.findall(html)
    assert scripts or status != 200
    for attributes in scripts:
        source = re.search(r'src="([^"]+)"', attributes)
        if source:
            assert source.group(1).startswith("/"), source.group(1)  # the app's own files only
        else:
            assert f'nonce="{nonce}"' in attributes, (url, attributes)
    # no inline event handler anywhere: chromium reports each one as a violation when the page loads
    assert not re.findall(r"<[^>]+\son[a-z]+=", html), url


def test_each_response_gets_a_new_nonce(client):
    first, second = client.get("/login"), client.get("/login")
    assert _policy(first)["script-src"] != _policy(second)["script-src"]


def test_https_is_not_forced_and_the_session_cookie_keeps_flasks_settings(client):
    response = client.get("/login")
    assert response.status_code == 200  # no redirect to https
    assert "Strict-Transport-Security" not in response.headers
    cookie = client.login("unit_b").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # SESSION_COOKIE_SECURE is off in this configuration
