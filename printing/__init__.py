"""Receipt printing (ESC/POS), a durable print queue and end-of-day PDF reports.

This package is independent of the application: it knows nothing about the database,
the domain model or Qt. Callers pass plain, already formatted values.
"""
