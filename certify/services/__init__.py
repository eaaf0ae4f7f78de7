"""Use cases of the registry and certification, behind the views."""
