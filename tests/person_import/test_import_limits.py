"""Files too big to parse are refused while reading, before any parser builds them (issue #15 item 10):
a small .xlsx of hundreds of thousands of rows, a CSV of as many lines, a workbook that unpacks to far
more than it weighs."""
import io
import zipfile

import pandas as pd
import pytest

from backoffice import ooxml
from import_helpers import count, csv_file, long_xlsx, person_row, total_people, upload

TOO_MANY = "一次最多导入20000行，本文件超过20000行"


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the file reaches pandas: the refusal must come from reading, not parsing."""

    def parsed(*args, **kwargs):
        raise AssertionError("the file was handed to the parser")

    monkeypatch.setattr(pd, "ExcelFile", parsed)
    monkeypatch.setattr(pd, "read_csv", parsed)


def _refused(client, content, filename, message):
    response = upload(client, content, filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert 'id="import-error"' in html and 'id="run-form"' not in html


def test_a_small_workbook_of_many_rows_is_refused_before_parsing(app, login_as, no_parsing):
    content = long_xlsx(150_000)
    assert len(content) < 2 * 1024 * 1024  # like the 1.75 MB file, far under the upload limit
    people = total_people(app)
    _refused(login_as("unit_c"), content, "名单.xlsx", TOO_MANY)
    assert total_people(app) == people


def test_rows_that_only_carry_formatting_do_not_count(app, login_as):
    """A sheet formatted far down (Excel writes those rows) is read if its filled rows are within limits."""
    html = upload(login_as("unit_c"), long_xlsx(5, blank_rows=25_000), "名单.xlsx").get_data(as_text=True)
    assert TOO_MANY not in html
    assert count("有误", html) == 5  # read and checked: three cells of each row are filled, the rest missing


def test_a_csv_of_many_lines_is_refused_before_parsing(login_as, no_parsing):
    row = ",".join(person_row(1).values())
    _refused(login_as("unit_c"), csv_file([]) + f"{row}\n".encode() * 30_000, "名单.csv", TOO_MANY)


def test_a_csv_of_blank_lines_is_refused_before_parsing(login_as, no_parsing):
    _refused(login_as("unit_c"), csv_file([person_row(1)]) + b",,,\n" * 30_000, "名单.csv", "空行超过20000行")


def _bomb(part: str) -> bytes:
    """A valid-looking Office file with one part of 5 MB of zeros: it packs to a few KB (ratio ~1000)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, "<xml/>")
        archive.writestr("xl/media/padding.bin", b"\x00" * (5 * 1024 * 1024))
    return buffer.getvalue()


def test_a_workbook_that_unpacks_a_thousand_times_its_size_is_refused(login_as, no_parsing):
    _refused(login_as("unit_c"), _bomb("xl/workbook.xml"), "名单.xlsx", ooxml.SUSPICIOUS)


def test_a_workbook_that_unpacks_past_the_limit_is_refused(login_as, monkeypatch, no_parsing):
    monkeypatch.setattr(ooxml, "MAX_UNPACKED_BYTES", 10_000)
    _refused(login_as("unit_c"), long_xlsx(100), "名单.xlsx", ooxml.TOO_LARGE)
