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
