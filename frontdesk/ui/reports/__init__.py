"""The reports area."""
