"""One module per schema revision, oldest first (see `python -m vetting.db.migrate --help`)."""
