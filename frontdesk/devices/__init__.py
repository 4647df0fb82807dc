"""Input devices (barcode scanners) behind small Protocols, each with a fake."""
