"""The application kernel: app factory, configuration, database, accounts, problem responses."""
