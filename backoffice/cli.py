"""Command-line tasks: `flask seed-demo`, `flask bench-data`, `flask reset-password`."""
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
