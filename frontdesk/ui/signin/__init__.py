"""The signin area."""
