"""The registry's web layer: its API (`api`, with `schemas`), the public register page
(`pages`), and how both present records (`present`)."""
