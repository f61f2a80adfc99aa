"""BaseForm: the form every screen uses, so every field of every form gets the same input filter.

Each field's submitted text is screened (`text.has_control`: control characters, NUL, lone surrogates,
U+FFFE/U+FFFF; tab and line breaks only in a TextAreaField), and an integer outside the database's
INTEGER range (an IntegerField, a select of ids) is refused, each with a Chinese message next to the
field. The checks run in `validate` after the fields' own validators, so none of those can skip them
(WTForms' `Optional` stops the chain for text that `str.strip()` empties, e.g. "\\x1c").
Flask-Admin's generated forms get it through `ScopedModelView.form_base_class`;
`tests/test_input_filter.py` fails when a form class of the package does not derive from it.
"""
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from .text import MESSAGE, has_control

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # INTEGER on PostgreSQL; SQLite overflows only at 2**63
OUT_OF_RANGE = "数值超出范围"


def field_problem(field) -> str | None:
    """Why the text submitted for this field cannot be accepted, or None."""
    multiline = isinstance(field, TextAreaField)
    for value in field.raw_data or ():
        if isinstance(value, str) and has_control(value, multiline=multiline):
            return MESSAGE
    # IntegerField, and any field coercing to int (a SelectField of ids that does not check its choices)
    number = field.data
    if isinstance(number, int) and not isinstance(number, bool) and not INT_MIN <= number <= INT_MAX:
        return OUT_OF_RANGE
    return None


class BaseForm(FlaskForm):
    """Flask-WTF's form (its CSRF token is the one CSRFProtect checks) plus the shared input filter."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            problem = field_problem(field)
            if problem is not None:
                if problem not in field.errors:
                    field.errors = [*field.errors, problem]
                valid = False
        return valid
