"""Every column a screen shows or exports has a Chinese label (no Flask-Admin "Updated At" fallbacks)."""
import re

from backoffice.views import scoped_views

# Labels the manuals themselves write in Latin letters.
LATIN_LABELS = {"IP地址"}


def test_every_list_details_and_export_column_is_labelled_in_chinese(app):
    untranslated = []
    for view in scoped_views(app.extensions["backoffice_admin"]):
        for kind, columns in (
            ("list", view._list_columns),
            ("details", view._details_columns),
            ("export", view._export_columns),
        ):
            for name, label in columns:
                if label not in LATIN_LABELS and not re.search(r"[\u4e00-\u9fff]", str(label)):
                    untranslated.append((view.endpoint, kind, name, label))
    assert untranslated == []
