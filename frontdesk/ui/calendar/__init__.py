"""The calendar area."""
