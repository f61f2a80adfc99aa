"""继续教育记录批量申报 (001 §1.6.2, unit): 模板下载 → 上传 → 校验 → 数据入库 → 失败数据, on the import
engine's one screen (`person_import.ImportView`); the rules are `imports/records.py`."""
from ..imports import UploadStore
from ..imports.records import RecordSheet
from ..policy import current_actor
from .person_import import ImportView


class RecordImportView(ImportView):
    module = "record_import"
    store = UploadStore("record_import")
    sheet_class = RecordSheet
    index_template = "record_import/index.html"
    template_name = "继续教育记录批量申报模板.xlsx"
    noun = "条"
    check_verbs = ("将申报", "", "已申报过将跳过", "有误")
    done_verbs = ("已申报", "", "已申报过已跳过", "有误未导入")
    summary_verbs = ("申报", "", "已申报过跳过", "有误未导入")
    clash_message = "导入期间有相同的继续教育记录被申报（同一人员、课程名称和学习开始时间），未导入任何数据，请重新校验后再导入"

    def sheet(self, subject=None) -> RecordSheet:
        return RecordSheet(current_actor())

    def summary(self, done: int) -> str:
        return f"继续教育记录批量申报：{done} 条"


VIEWS = [(RecordImportView, None, "继续教育记录管理", "record_import")]
