"""Command-line tasks: `flask seed-demo`."""
import click
from flask import Flask

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
