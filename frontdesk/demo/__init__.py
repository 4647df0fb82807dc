"""The demo spa: a realistic, reproducible shop in English, Chinese or Russian.

`build_demo(engine, customers=3000, locale="en", seed=7)` fills an empty database with a shop
profile, staff and their rota, rooms, a menu, a shelf of products, clients with preferences and
allergies, two years of appointments with their sales, a busy today and two weeks ahead.

A small client base is a day spa of eight therapists and six rooms. A bigger one is a bigger
shop, up to 32 therapists' places (never more than 24 in on one day) and 18 rooms, with
therapists who joined and left over the two years; beyond what they can see, more clients
simply never came (`frontdesk.demo.clientele`).
"""

from frontdesk.demo.build import DEMO_PIN, DemoSummary, build_demo
from frontdesk.demo.catalogue import LOCALES

__all__ = ["DEMO_PIN", "LOCALES", "DemoSummary", "build_demo"]
