"""The province's words inside a screen (issue 13 item 1: the screen vocabulary of the glossary): a Henan
clerk reads 继续教育基地 where a Guangdong one reads 施教机构 — in form labels, list and details columns and
the export's header, not only in the menu."""
DECLARE = "/admin/record_declare"
REVIEW = "/admin/record_review"
QUERY = "/admin/record_query"


def test_form_labels_speak_the_province(login_as):
    henan = login_as("py_unit").get(f"{DECLARE}/new/").get_data(as_text=True)
    assert "继续教育基地名称" in henan and "施教机构名称" not in henan
    guangdong = login_as("unit_a", "广州示范大学").get(f"{DECLARE}/new/").get_data(as_text=True)
    assert "施教机构名称" in guangdong and "继续教育基地名称" not in guangdong


def test_details_and_export_columns_speak_the_province(login_as):
    py_unit = login_as("py_unit")
    listing = py_unit.get(f"{REVIEW}/").get_data(as_text=True)
    record_id = listing.split("details/?id=", 1)[1].split("&", 1)[0].split('"', 1)[0]
    details = py_unit.get(f"{REVIEW}/details/?id={record_id}").get_data(as_text=True)
    assert "继续教育基地名称" in details and "施教机构名称" not in details
    header = py_unit.get(f"{QUERY}/export/csv/").get_data(as_text=True).splitlines()[0]
    assert "继续教育基地名称" in header and "施教机构名称" not in header

    gd = login_as("unit_a", "广州示范大学")
    header = gd.get(f"{QUERY}/export/csv/").get_data(as_text=True).splitlines()[0]
    assert "施教机构名称" in header and "继续教育基地名称" not in header
