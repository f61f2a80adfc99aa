"""A real server (`flask run` on its own migrated, demo-seeded SQLite file) and Debian's chromium."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict) -> tuple[str, subprocess.Popen]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):  # a loaded two-core machine takes ten seconds and more to import the app
        try:
            urllib.request.urlopen(url + "/login", timeout=1)
            return url, server
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("live server did not start")


@pytest.fixture(scope="session")
def live_env(tmp_path_factory):
    """A migrated, demo-seeded SQLite file; no captcha, no rate limits, cheap password hashes (the tests
    sign in often)."""
    data = tmp_path_factory.mktemp("live")
    env = dict(
        os.environ,
        FLASK_APP="app",
        DATABASE_URL=f"sqlite:///{data / 'live.sqlite3'}",
        UPLOAD_DIR=str(data / "uploads"),
        CAPTCHA_ENABLED="0",
        RATELIMIT_ENABLED="0",
        PASSWORD_HASH_METHOD="scrypt:1024:8:1",
    )
    flask = [sys.executable, "-m", "flask"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


@pytest.fixture(scope="session")
def live_server(live_env):
    url, server = _serve(live_env)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def captcha_server(live_env):
    """The same data served with the captcha switched on (its login page only is looked at)."""
    url, server = _serve(dict(live_env, CAPTCHA_ENABLED="1"))
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "browser tests need Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
