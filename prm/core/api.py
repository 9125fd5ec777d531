from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from prm.core.errors import NotAllowed, ServiceError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become 400 with the field named; a refused role becomes 403."""
    if isinstance(exc, ServiceError):
        key = exc.field or "detail"
        return Response({key: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    if isinstance(exc, NotAllowed):
        return Response({"detail": str(exc) or _("Your role can't do this.")}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        exc = NotFound()  # DRF's own message, translated; never the model's name

    return drf_exception_handler(exc, context)
