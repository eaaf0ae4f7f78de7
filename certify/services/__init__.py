"""Certification use cases behind the views: the `registry` (with `imports` and the
`ledger` check), `offsets`, `verifiers`, `applications` through the workflow (with their
`checklists`), issued `documents` (`certificates`, `labels`), `verification` of tokens,
the signing `keys` and the `audit_chain`. The actor comes first, everything else by
keyword."""
