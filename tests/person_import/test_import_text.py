"""Import cells are held to the forms' input filter, and the workbooks the import writes stay writable
whatever a file or the database holds (issue #15 item 9)."""
import io

from openpyxl import load_workbook
from sqlalchemy import insert

from backoffice.extensions import db
from backoffice.models import DictionaryItem
from import_helpers import URL, csv_file, failed_rows, person_row, token_of, upload


def test_import_cells_with_control_characters_fail_their_row_and_the_workbooks_still_write(app, login_as):
    with app.app_context():  # a dictionary name stored with a control character, shown in the template
        db.session.execute(insert(DictionaryItem).values(category="ethnicity", code="99", name="旧\x01数据", sort=99))
        db.session.commit()
    client = login_as("unit_c")
    template = client.get(f"{URL}template/")
    assert template.status_code == 200
    names = [cell for row in load_workbook(io.BytesIO(template.data))["字典"].iter_rows(values_only=True) for cell in row]
    assert "旧数据" in names
    html = upload(client, csv_file([person_row(1, 通信地址="广州\x01市")]), "名单.csv").get_data(as_text=True)
    assert "通信地址不能包含换行符或其他控制字符" in html
    rows = failed_rows(client.get(f"{URL}failed/?token={token_of(html)}"))
    assert "广州市" in rows[1]
