"""One module per command group of ``cartwatch`` (``cartwatch/cli.py`` assembles them)."""
