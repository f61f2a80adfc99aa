"""Command-line tasks: `flask seed-demo`, `flask bench-data`, `flask reset-password`, `flask import-legacy`,
`flask hours-summary`."""
import click
from flask import Flask
from sqlalchemy import func, select

from .extensions import db
from .models import User


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database has no account yet.")
    def seed_demo_command(if_empty: bool) -> None:
        """Load the demo organisations, accounts and people (DESIGN §5). Safe to run twice."""
        from .demo import seed_demo

        if if_empty and db.session.query(User.id).first() is not None:
            click.echo("数据库已有数据，跳过演示数据。")
            return
        counts = seed_demo()
        db.session.commit()
        click.echo("演示数据已就绪：" + "，".join(f"{k} {v}" for k, v in counts.items()))

    @app.cli.command("bench-data")
    @click.option("--people", type=click.IntRange(1, 20_000_000), default=200_000, show_default=True)
    def bench_data_command(people: int) -> None:
        """Add a province-sized dataset for benchmarks to the demo data (never on a real database)."""
        import time

        from .benchdata import generate
        from .demo import seed_demo

        started = time.perf_counter()
        seed_demo()
        spent: dict[str, float] = {}
        counts = generate(people, timings=spent)
        db.session.commit()
        click.echo("压测数据已生成：" + "，".join(f"{k} {v:,}" for k, v in counts.items())
                   + f"，用时 {time.perf_counter() - started:.0f} 秒")
        for stage, seconds in spent.items():
            rows = counts.get(stage, 0)
            rate = f"，每秒 {rows / seconds:,.0f} 行" if rows and seconds else ""
            click.echo(f"  {stage}：{seconds:.1f} 秒{rate}")

    @app.cli.command("reset-password")
    @click.argument("login")
    @click.option("--reason", prompt="重置原因", help="必填，限200字；写入操作日志。")
    def reset_password_command(login: str, reason: str) -> None:
        """Reset LOGIN's password on the server: the only way for 系统管理员 and 运维 accounts.

        Prints a temporary password, shown once; the account must change it at its next sign-in,
        where it is told that 系统管理员（服务器命令） reset it. The reset is in the 操作日志.
        """
        from .workflows import WorkflowError
        from .workflows.accounts import reset_password_on_server

        user = db.session.scalar(select(User).where(func.lower(User.login) == login.strip().lower()))
        if user is None:
            raise click.ClickException(f"账号“{login}”不存在")
        try:
            password = reset_password_on_server(user, reason)
        except WorkflowError as error:
            raise click.ClickException(str(error)) from None
        db.session.commit()
        click.echo(f"已重置{user}的密码。临时密码（只显示这一次）：{password}")
        click.echo("该账号下次登录时必须修改密码。")

    @app.cli.command("import-legacy")
    @click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    def import_legacy_command(files: tuple[str, ...]) -> None:
        """Load the old system's units, people, records (≤2017) and certificates (docs/legacy.md).

        Each FILE is an .xlsx with sheets 旧系统单位 / 旧系统学员 / 历史继续教育记录 / 历史证书, or a .csv
        holding one of them. One transaction: any bad row and nothing is stored. Safe to run again.
        """
        import os

        from werkzeug.datastructures import FileStorage

        from . import audit
        from .imports import ImportRefused
        from .imports.legacy import load
        from .labels import AuditAction

        handles = [open(path, "rb") for path in files]
        try:
            uploads = [FileStorage(stream=h, filename=os.path.basename(path)) for h, path in zip(handles, files)]
            try:
                reports, counts = load(uploads)
            except ImportRefused as refused:
                db.session.rollback()
                raise click.ClickException(str(refused)) from None
        finally:
            for handle in handles:
                handle.close()
        failed = [(r.name, report.sheet.title, row) for r in reports for report in r.reports for row in report.failed]
        if failed:
            db.session.rollback()
            for name, title, row in failed:
                click.echo(f"{name}［{title}］第{row.number}行：{row.reason}", err=True)
            raise click.ClickException(f"有{len(failed)}行数据有误，未导入任何数据；请改正后重新导入")
        summary = "；".join(
            f"{title}：新增{c['create']}，更新{c['update']}，未变{c['skip']}" for title, c in counts.items()
        )
        audit.record(AuditAction.LEGACY_IMPORT, summary=f"导入历史数据：{summary}")
        db.session.commit()
        click.echo("历史数据已导入。" + summary)

    @app.cli.command("hours-summary")
    @click.option("--rebuild", is_flag=True, help="Rewrite the table from the records (after a repair or a bulk load).")
    def hours_summary_command(rebuild: bool) -> None:
        """Check that the person-year hours (person_year_hours) equal a recount of the approved records.

        Exits with 1 and lists the first differing person-years when they do not; --rebuild rewrites them.
        """
        from .hours import rebuild_summary, summary_mismatches

        if rebuild:
            written = rebuild_summary()
            db.session.commit()
            click.echo(f"已按继续教育记录重算人员年度学时：{written:,} 行。")
        wrong = summary_mismatches()
        if not wrong:
            click.echo("人员年度学时与继续教育记录的重算一致。")
            return

        def shown(figures):
            return "无" if figures is None else "公需{}，专业{}，选修{}，最后结束于{}".format(*figures)

        for person_id, year, held, counted in wrong:
            click.echo(f"人员 {person_id}，{year}年度：表中 {shown(held)}；重算 {shown(counted)}", err=True)
        raise click.exceptions.Exit(1)
