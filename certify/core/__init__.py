"""The pure domain core of certification: serial blocks, eligibility rules, state machine, signing.
"""
