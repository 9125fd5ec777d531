"""Errors services raise; views and the API turn them into messages, never into a 500."""

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    """A rule of the domain refused the action. The message is for the user and says what to do next."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(PermissionDenied):
    """The actor can see the object but their role can't do this (403, not 404)."""


def error_text(exc: Exception) -> str:
    """One line for a person from a ServiceError or a Django ValidationError."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and not getattr(exc, "params", None):
        return message
    messages = getattr(exc, "messages", None)
    return "; ".join(str(m) for m in messages) if messages else str(exc)
