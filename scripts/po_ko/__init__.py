"""Korean translations by area, merged into scripts/po_fill.py's TRANSLATIONS (each module has a TRANSLATIONS
dict)."""
