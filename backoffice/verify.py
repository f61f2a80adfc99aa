"""证书查验: `/verify/<number>`, the link of a certificate's QR code — anyone, no sign-in, rate-limited
(RATELIMIT_VERIFY). It says whether the number is 有效, 已作废 or 已撤销 and shows the masked holder, the
year and the hours: nothing more. An unknown number says so (404)."""
from flask import Blueprint, render_template

from .labels import CertificateStatus
from .route_params import reads
from .workflows.certificates import by_number, mask_id, mask_name

bp = Blueprint("verify", __name__)


@bp.get("/verify/<number>")
@reads()  # a certificate number, public by design: what it shows is masked
def certificate(number: str):
    found = by_number(number)
    status = 200 if found is not None else 404
    return render_template(
        "certificates/verify.html", certificate=found, number=number[:30],
        status_label=CertificateStatus.label(found.status) if found else None,
        holder=mask_name(found.holder_name) if found else None,
        id_number=mask_id(found.id_number) if found else None,
    ), status
