"""The guided start of a new shop."""
