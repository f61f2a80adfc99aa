"""person-year hours: the summary 继续教育综合统计 reads instead of summing a year's records (issue 12 item 6)

`person_year_hours` holds, per person and 申报年度 with an approved record, the 认定学时 per 科目类型 and the
latest 学习结束时间. Triggers on `record` recount a person-year in the statement that changes one of its
records, whatever path changed it, so the table is the recount in every committed state
(backoffice/hours.py:summary_mismatches checks that; docs/statistics.md).

- SQLite: a row trigger per INSERT / UPDATE / DELETE that concerns an approved record (one writer at a
  time: no race to guard).
- PostgreSQL: statement triggers with transition tables (a batch review of 1,000 records, an import of
  100,000 recount once per statement, not once per row). Before recounting they lock the people concerned
  (FOR NO KEY UPDATE, in id order): two transactions changing records of the same person-year would
  otherwise each recount from a snapshot without the other's change and the second would overwrite the
  first. The lock makes the second wait, and its recount statement then reads the first's commit.

Revision ID: e7b3a41c9d20
Revises: d5a2f8c31e07
Create Date: 2026-12-02 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3a41c9d20'
down_revision = 'd5a2f8c31e07'
branch_labels = None
depends_on = None

COLUMNS = "person_id, year, public_hours, professional_hours, elective_hours, last_end_on"
# The recount of the person-years a condition on `r` (a record) picks: the definition of the table.
RECOUNT = f"""INSERT INTO person_year_hours ({COLUMNS})
SELECT r.person_id, r.year,
       COALESCE(SUM(r.approved_hours) FILTER (WHERE r.course_type = 'public'), 0),
       COALESCE(SUM(r.approved_hours) FILTER (WHERE r.course_type = 'professional'), 0),
       COALESCE(SUM(r.approved_hours) FILTER (WHERE r.course_type = 'elective'), 0),
       MAX(r.end_on)
FROM record r {{join}}
WHERE r.status = 'approved' {{where}}
GROUP BY r.person_id, r.year"""

# ---- SQLite: row triggers -------------------------------------------------------------------------


def _sqlite_recount(row: str) -> str:
    """Statements recounting the person-year of `row` (NEW or OLD) inside a trigger body."""
    return (
        f"DELETE FROM person_year_hours WHERE person_id = {row}.person_id AND year = {row}.year;\n"
        + RECOUNT.format(join="", where=f"AND r.person_id = {row}.person_id AND r.year = {row}.year") + ";\n"
    )


SQLITE_TRIGGERS = {
    "person_year_hours_on_insert": ("AFTER INSERT ON record WHEN NEW.status = 'approved'", ("NEW",)),
    "person_year_hours_on_update": (
        "AFTER UPDATE OF person_id, year, status, approved_hours, course_type, end_on ON record "
        "WHEN OLD.status = 'approved' OR NEW.status = 'approved'", ("OLD", "NEW"),
    ),
    "person_year_hours_on_delete": ("AFTER DELETE ON record WHEN OLD.status = 'approved'", ("OLD",)),
}

# ---- PostgreSQL: statement triggers over the transition tables --------------------------------------

WATCHED = ("person_id", "year", "status", "approved_hours", "course_type", "end_on")
# updated rows whose watched columns changed and which were or are approved, with both person-years
CHANGED = (
    "SELECT o.person_id AS op, o.year AS oy, n.person_id AS np, n.year AS ny "
    "FROM old_rows o JOIN new_rows n ON n.id = o.id "
    "WHERE (o.status = 'approved' OR n.status = 'approved') "
    f"AND ({', '.join('o.' + c for c in WATCHED)}) IS DISTINCT FROM ({', '.join('n.' + c for c in WATCHED)})"
)
# the person-years a statement touched, per kind of statement
PG_KEYS = {
    "INSERT": "SELECT DISTINCT person_id, year FROM new_rows WHERE status = 'approved'",
    "DELETE": "SELECT DISTINCT person_id, year FROM old_rows WHERE status = 'approved'",
    "UPDATE": f"SELECT op AS person_id, oy AS year FROM ({CHANGED}) c UNION SELECT np, ny FROM ({CHANGED}) c",
}
TRANSITIONS = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
               "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}


def _pg_function(op_name: str) -> str:
    keys = f"({PG_KEYS[op_name]})"
    recount = RECOUNT.format(join=f"JOIN {keys} k ON k.person_id = r.person_id AND k.year = r.year", where="")
    return f"""CREATE FUNCTION person_year_hours_{op_name.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM person WHERE id IN (SELECT person_id FROM {keys} k) ORDER BY id FOR NO KEY UPDATE;
    {recount}
    ON CONFLICT (person_id, year) DO UPDATE SET
        public_hours = EXCLUDED.public_hours, professional_hours = EXCLUDED.professional_hours,
        elective_hours = EXCLUDED.elective_hours, last_end_on = EXCLUDED.last_end_on;
    DELETE FROM person_year_hours h USING {keys} k
    WHERE h.person_id = k.person_id AND h.year = k.year AND NOT EXISTS (
        SELECT 1 FROM record r WHERE r.person_id = h.person_id AND r.year = h.year AND r.status = 'approved');
    RETURN NULL;
END $$"""


def upgrade():
    op.create_table(
        'person_year_hours',
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('public_hours', sa.Numeric(precision=7, scale=1), nullable=False),
        sa.Column('professional_hours', sa.Numeric(precision=7, scale=1), nullable=False),
        sa.Column('elective_hours', sa.Numeric(precision=7, scale=1), nullable=False),
        sa.Column('last_end_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_year_hours_person_id_person')),
        sa.PrimaryKeyConstraint('person_id', 'year', name=op.f('pk_person_year_hours')),
    )
    op.create_index('ix_person_year_hours_year', 'person_year_hours', [
        'year', 'last_end_on', 'person_id', 'public_hours', 'professional_hours', 'elective_hours',
    ], unique=False)
    op.execute(RECOUNT.format(join="", where=""))
    if op.get_bind().dialect.name == 'postgresql':
        for op_name, transition in TRANSITIONS.items():
            op.execute(_pg_function(op_name))
            op.execute(
                f"CREATE TRIGGER person_year_hours_on_{op_name.lower()} AFTER {op_name} ON record "
                f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION person_year_hours_{op_name.lower()}()"
            )
    else:
        for name, (when, rows) in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when}\nBEGIN\n{''.join(_sqlite_recount(r) for r in rows)}END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for op_name in TRANSITIONS:
            op.execute(f"DROP TRIGGER person_year_hours_on_{op_name.lower()} ON record")
            op.execute(f"DROP FUNCTION person_year_hours_{op_name.lower()}()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_index('ix_person_year_hours_year', table_name='person_year_hours')
    op.drop_table('person_year_hours')
