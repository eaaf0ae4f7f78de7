"""The pure domain core of certification (no Flask, no database): serial blocks
(`serials`), ledger replay (`ledger`), offset eligibility (`eligibility`), the checklist
(`checklist`), the workflow state machine (`workflow`), the audit hash chain (`chain`)
and signing (`signing`)."""
