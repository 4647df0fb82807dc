"""The checkout area."""
