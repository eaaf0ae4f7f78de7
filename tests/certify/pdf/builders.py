"""Builders of test documents: verification URLs shaped like the real ones, label contents."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certify.core.signing import SigningKey, document_token, thumbprint
from certify.pdf.label import LabelContent


def verification_url(seed: int) -> str:
    """``http://localhost:5000/v/`` and a real certificate token (`certify.core.signing`):
    signed by a key made from ``seed``, for a document id and time that vary with it."""
    rnd = random.Random(seed)
    private = Ed25519PrivateKey.from_private_bytes(rnd.randbytes(32))
    key = SigningKey(thumbprint(private.public_key()), private, datetime(2024, 1, 1, tzinfo=UTC))
    issued = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.randrange(10**8))
    token = document_token("certificate", rnd.randrange(1, 10 ** rnd.randrange(1, 10)), issued, key)
    return f"http://localhost:5000/v/{token}"


URL = verification_url(7)


def label_content(n: int = 0, **changes: object) -> LabelContent:
    """Label ``n`` of a batch of vine tea: its own number and verification URL."""
    fields: dict[str, object] = dict(
        number=f"CL-2026-{n + 1:06d}",
        product_name_zh="武陵源莓茶",
        product_name_en="Wulingyuan Vine Tea",
        figure=Decimal("1.85"),
        functional_unit_zh="每袋（250克）",
        functional_unit_en="per 250 g pack",
        boundary="cradle_to_gate",
        valid_until=date(2026, 12, 31),
        verification_url=URL if n == 0 else verification_url(1000 + n),
    )
    fields.update(changes)
    return LabelContent(**fields)  # type: ignore[arg-type]


SUBJECT_ZH = "武陵源风景名胜区"
