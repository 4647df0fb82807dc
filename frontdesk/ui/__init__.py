"""Everything Qt. Talks to services only, never to a session or an engine."""
