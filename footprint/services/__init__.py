"""Use cases behind the views: each function runs one transaction's worth of work."""
