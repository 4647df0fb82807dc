"""Receipt printing (ESC/POS), printer connections and locks, and end-of-day PDF reports.

This package is independent of the application: it knows nothing about the database,
the domain model or Qt. Callers pass plain, already formatted values.
"""

import os
from pathlib import Path

from platformdirs import user_cache_dir

# python-escpos caches its parsed printer capabilities in a pickle, by default in a new temp
# folder per process: ~0.3 s of JSON parsing at every start and a folder left behind each time.
_ESCPOS_CACHE = Path(
    os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR")
    or Path(user_cache_dir("FrontDesk", appauthor=False)) / "escpos"
)
try:  # python-escpos does not create the folder itself and fails on import without it
    _ESCPOS_CACHE.mkdir(parents=True, exist_ok=True)
except OSError:  # unwritable: let python-escpos use a temp folder of its own
    os.environ.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
else:
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_ESCPOS_CACHE)
