"""The command line's sub-commands (`cli.py` is the entry point that parses and dispatches to them)."""
