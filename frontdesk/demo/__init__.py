"""The demo spa: a realistic, reproducible shop in English, Chinese or Russian.

`build_demo(engine, customers=3000, locale="en", seed=7)` fills an empty database with a shop
profile, staff and their rota, rooms, a menu, a shelf of products, clients with preferences and
allergies, two years of appointments with their sales, a busy today and two weeks ahead. A client
base bigger than eight therapists can serve gets former staff and rooms (inactive) for its past,
so that every client has a history.
"""

from frontdesk.demo.build import DEMO_PIN, DemoSummary, build_demo
from frontdesk.demo.catalogue import LOCALES

__all__ = ["DEMO_PIN", "LOCALES", "DemoSummary", "build_demo"]
