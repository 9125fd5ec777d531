from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class SafeJSONParser(JSONParser):
    """JSON nested deeper than Python's recursion limit is a client error (400), not a server crash."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The request body is not valid JSON (nested too deeply).")) from exc
        except ParseError as exc:
            # DRF's message quotes the decoder ("Exceeds the limit (4300 digits) ... sys.set_int_max_str_digits"):
            # say what is wrong without Python's internals.
            raise ParseError(_("The request body is not valid JSON.")) from exc
