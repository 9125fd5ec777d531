"""API authentication that, like the portal, answers in the language the user picked."""

from typing import Any

from django.conf import settings
from django.utils import translation
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request


class UserLanguageTokenAuthentication(TokenAuthentication):
    """Token authentication; the response (messages, errors) is then in the token user's language.

    The portal's UserLanguageMiddleware can't do this for the API: a token is only checked inside the view.
    """

    def authenticate(self, request: Request) -> Any:
        result = super().authenticate(request)
        if result is not None:
            language = getattr(result[0], "language", None)
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request._request.LANGUAGE_CODE = language
        return result
