"""Receipt printing (ESC/POS), a durable print queue and end-of-day PDF reports.

This package is independent of the application: it knows nothing about the database,
the domain model or Qt. Callers pass plain, already formatted values.
"""

import os
from pathlib import Path

from platformdirs import user_cache_dir

# python-escpos caches its parsed printer capabilities in a pickle, by default in a new temp
# folder per process: ~0.3 s of JSON parsing at every start and a folder left behind each time.
_ESCPOS_CACHE = Path(user_cache_dir("FrontDesk", appauthor=False)) / "escpos"
if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
    try:
        _ESCPOS_CACHE.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home: python-escpos falls back to its temp folder
        pass
    else:
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(_ESCPOS_CACHE)
