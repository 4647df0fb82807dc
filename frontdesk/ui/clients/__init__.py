"""The clients area."""
