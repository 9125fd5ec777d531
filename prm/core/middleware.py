from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict


class RejectNullCharactersMiddleware:
    """A NUL byte in the path or query string is never meaningful, and PostgreSQL refuses it in text:
    answer 400 up front instead of failing deep in a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or _has_nul(request.GET):
            return HttpResponseBadRequest("Bad request: the address contains a NUL character.",
                                          content_type="text/plain; charset=utf-8")
        # the same in a submitted form's fields (not in uploaded files, which importers clean themselves)
        if request.method == "POST" and request.content_type in FORM_TYPES and _has_nul(request.POST):
            return HttpResponseBadRequest("Bad request: a form field contains a NUL character.",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
