"""Certification: credit registry, offsets, certificates, labels and verification (to come)."""
