"""Dealer-list parsing: uploaded bytes -> cleaned dealer records, with no database and no Django models.

    from partners.importing import parse_dealer_list, UnreadableFile
    result = parse_dealer_list(data, filename)            # or mapping={"business_number": 2, ...}

Importable without configured Django settings (the messages use a settings-free gettext_noop), so the parser
can be used and tested on its own; the Django side translates ``UnreadableFile.message`` and
``RowIssue.template`` when it shows them.
"""

from .columns import AUXILIARY_FIELDS, FIELD_LABELS, FIELDS, KEY_FIELDS, SYNONYMS
from .normalise import SEGMENT_CODES
from .parse import DealerTable, clean_dealer_table, parse_dealer_list, read_dealer_table
from .result import DealerRecord, ParseResult, RowIssue, UnreadableFile

__all__ = [
    "AUXILIARY_FIELDS",
    "FIELD_LABELS",
    "FIELDS",
    "KEY_FIELDS",
    "SEGMENT_CODES",
    "SYNONYMS",
    "DealerRecord",
    "DealerTable",
    "ParseResult",
    "RowIssue",
    "UnreadableFile",
    "clean_dealer_table",
    "parse_dealer_list",
    "read_dealer_table",
]
