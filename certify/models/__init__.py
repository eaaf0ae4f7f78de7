"""Persistence of certification (SQLAlchemy 2.0 typed ORM), one module per domain.

- ``registry``     crediting standards, projects, issuances, credit blocks, retirements,
                   transfers and the append-only ledger
- ``offsets``      offset claims and the retirements each one spends
- ``verifiers``    accreditations, declarations of advice, verifiers' public keys
- ``applications`` certification applications and their checklist results
- ``evidence``     the evidence files attached to applications
- ``documents``    issued certificates and labels
- ``audit_chain``  the hash-chained audit trail of certification decisions
- ``demo``         what ``flask demo`` made, under its stable keys
"""

from certify.models import (  # noqa: F401  (every table on the metadata)
    applications,
    audit_chain,
    demo,
    documents,
    evidence,
    offsets,
    registry,
    verifiers,
)
