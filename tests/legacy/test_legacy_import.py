"""`flask import-legacy` (issue 11 item 9): an .xlsx of the four sheets or one .csv per kind; good rows
loaded, bad rows reported by row number with a Chinese reason and nothing stored, a re-import changing
nothing, bad files refused."""
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import AuditAction
from backoffice.models import AuditLog, LegacyCertificate, LegacyPerson, LegacyRecord, LegacyUnit
from backoffice.validators import make_citizen_id

ID_1 = make_citizen_id("440103", date(1970, 5, 6), "451")
ID_2 = make_citizen_id("440103", date(1975, 7, 8), "462")

SHEETS = {
    "旧系统单位": [["旧系统单位代码", "旧系统单位名称"], ["gzold01", "广州旧系统第一医院"], ["GZOLD02", "广州旧系统第二医院"]],
    "旧系统学员": [["姓名", "身份证号码", "旧系统单位代码"], ["李旧一", ID_1, "GZOLD01"], ["王旧二", ID_2, "GZOLD02"]],
    "历史继续教育记录": [
        ["身份证号码", "姓名", "年度", "科目类型", "课程名称", "学时", "施教机构名称"],
        [ID_1, "李旧一", "2016", "公需课", "职业道德", "12", "旧施教机构"],
        [ID_1, "李旧一", "2017", "专业课", "临床新进展", "48.5", ""],
        [ID_2, "王旧二", "2015", "选修课", "计算机应用", "12", ""],
    ],
    "历史证书": [["证书编号", "身份证号码", "姓名", "年度", "学时"], ["LS2016000001", ID_1, "李旧一", "2016", "72"]],
}


def _xlsx(path, sheets=SHEETS):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return str(path)


def _run(app, *paths):
    return app.test_cli_runner().invoke(args=["import-legacy", *map(str, paths)])


def _counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model).where(where))
            for model, where in (
                (LegacyUnit, LegacyUnit.code.like("GZOLD%")),
                (LegacyPerson, LegacyPerson.id_number.in_([ID_1, ID_2])),
                (LegacyRecord, LegacyRecord.course_name.in_(["职业道德", "临床新进展", "计算机应用"])),
                (LegacyCertificate, LegacyCertificate.number == "LS2016000001"),
            )
        )


def test_a_workbook_of_the_four_sheets_is_loaded_and_audited(app, tmp_path):
    result = _run(app, _xlsx(tmp_path / "old.xlsx"))
    assert result.exit_code == 0, result.output
    assert "历史数据已导入" in result.output and "旧系统单位：新增2" in result.output
    assert _counts(app) == (2, 2, 3, 1)
    with app.app_context():
        person = db.session.scalar(select(LegacyPerson).where(LegacyPerson.id_number == ID_1))
        assert person.legacy_unit.code == "GZOLD01"  # codes are stored upper-case
        record = db.session.scalar(select(LegacyRecord).where(LegacyRecord.course_name == "临床新进展"))
        assert (record.year, record.course_type, record.hours) == (2017, "professional", Decimal("48.5"))
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == AuditAction.LEGACY_IMPORT))
        assert "历史继续教育记录：新增3" in entry.summary


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_updates(app, tmp_path):
    path = _xlsx(tmp_path / "old.xlsx")
    assert _run(app, path).exit_code == 0
    again = _run(app, path)
    assert again.exit_code == 0, again.output
    assert "旧系统单位：新增0，更新0，未变2" in again.output and "历史证书：新增0，更新0，未变1" in again.output
    assert _counts(app) == (2, 2, 3, 1)
    changed = {**SHEETS, "历史继续教育记录": [SHEETS["历史继续教育记录"][0], [ID_1, "李旧一", "2016", "公需课", "职业道德", "16", ""]]}
    result = _run(app, _xlsx(tmp_path / "changed.xlsx", changed))
    assert "历史继续教育记录：新增0，更新1，未变0" in result.output
    with app.app_context():
        assert db.session.scalar(select(LegacyRecord.hours).where(LegacyRecord.course_name == "职业道德")) == Decimal("16")


def test_bad_rows_are_reported_by_row_with_reasons_and_nothing_is_loaded(app, tmp_path):
    bad = {
        "旧系统单位": SHEETS["旧系统单位"],
        "旧系统学员": [SHEETS["旧系统学员"][0], ["李旧一", ID_1, "GZOLD01"], ["坏号码", "440103197005061234", "GZOLD01"],
                  ["无单位", ID_2, "NOSUCH"]],
        "历史继续教育记录": [
            SHEETS["历史继续教育记录"][0],
            [ID_1, "李旧一", "2018", "公需课", "太新", "12", ""],
            [ID_1, "张冒名", "2016", "公需课", "冒名", "12", ""],
            [ID_1, "李旧一", "2016", "讲座", "类型错", "-1", ""],
        ],
    }
    result = _run(app, _xlsx(tmp_path / "bad.xlsx", bad))
    assert result.exit_code == 1
    out = result.output
    assert "bad.xlsx［旧系统学员］第3行：公民身份号码" in out
    assert "［旧系统学员］第4行：旧系统单位代码“NOSUCH”不存在" in out
    assert "［历史继续教育记录］第2行：年度应为1980至2017年之间" in out
    assert "［历史继续教育记录］第3行：姓名与旧系统学员登记的姓名不一致" in out
    assert "第4行：科目类型“讲座”不在可选值中" in out and "学时应为0至9999.9之间的数" in out
    assert "有5行数据有误，未导入任何数据" in out
    assert _counts(app) == (0, 0, 0, 0)  # the good rows of the same run are not half-loaded


def test_csv_files_one_per_kind_are_recognised_by_their_headers(app, tmp_path):
    names = {"旧系统单位": "units.csv", "旧系统学员": "people.csv", "历史继续教育记录": "records.csv", "历史证书": "certs.csv"}
    paths = []
    for title, rows in SHEETS.items():
        path = tmp_path / names[title]
        path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8-sig")
        paths.append(path)
    result = _run(app, *reversed(paths))  # loaded in the order units → people → records → certificates
    assert result.exit_code == 0, result.output
    assert _counts(app) == (2, 2, 3, 1)


def test_bad_files_are_refused_with_a_message_and_change_nothing(app, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"this is not a workbook")
    result = _run(app, fake)
    assert result.exit_code == 1 and "仅支持导入 Excel（.xlsx）或 CSV（.csv）文件" in result.output
    other = tmp_path / "other.xlsx"
    _xlsx(other, {"Sheet1": [["a", "b"], ["1", "2"]]})
    result = _run(app, other)
    assert "工作簿中没有可导入的工作表" in result.output
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("甲,乙\n1,2\n", encoding="utf-8")
    assert "无法识别 CSV 文件的数据类别" in _run(app, unknown).output
    missing = tmp_path / "missing.xlsx"
    _xlsx(missing, {"旧系统学员": [["姓名", "身份证号码"], ["李旧一", ID_1]]})
    assert "文件缺少以下列：旧系统单位代码" in _run(app, missing).output
    big = tmp_path / "big.csv"
    big.write_bytes(b"a" * (11 * 1024 * 1024))
    assert "上传的文件不能超过10MB" in _run(app, big).output
    assert _counts(app) == (0, 0, 0, 0)
