"""The attachment_table macro: the manual's columns, 下载 always, 删除 only when the screen offers it."""
from flask import render_template_string

from attachment_helpers import PDF, acting, org_named, upload
from backoffice import attachments

TABLE = (
    "{% from 'attachments/_macros.html' import attachment_table %}"
    "{{ attachment_table(rows, delete_url=delete_url) }}"
)


def test_columns_rows_and_links(app):
    with acting(app, "unit_c") as actor:
        row = attachments.save(upload(PDF, "证书<b>&.pdf"), "organisation", org_named("广州示范医院"), actor)
        html = render_template_string(TABLE, rows=[row], delete_url=None)
        for header in ["序号", "附件名称", "附件类型", "附件大小（KB）", "上传时间", "经办人", "操作"]:
            assert f"<th>{header}</th>" in html
        assert "证书&lt;b&gt;&amp;.pdf" in html and "<b>" not in html
        assert f'href="/attachments/{row.id}">[下载]' in html
        assert "PDF" in html and "郑伟" in html and "%.2f" % (len(PDF) / 1024) in html
        assert "删除" not in html

        with_delete = render_template_string(TABLE, rows=[row], delete_url=lambda a: f"/remove/{a.id}")
        assert f'action="/remove/{row.id}"' in with_delete
        assert 'name="csrf_token"' in with_delete and "删除" in with_delete


def test_empty_table_says_so(app):
    with app.test_request_context():
        assert "没有数据需要显示" in render_template_string(TABLE, rows=[], delete_url=None)


def test_delete_url_may_be_an_endpoint_name(app):
    """Templates cannot write lambdas: an endpoint taking attachment_id works as well."""
    with acting(app, "unit_c") as actor:
        row = attachments.save(upload(PDF, "a.pdf"), "organisation", org_named("广州示范医院"), actor)
        html = render_template_string(TABLE, rows=[row], delete_url="attachments.download")
        assert f'action="/attachments/{row.id}"' in html
