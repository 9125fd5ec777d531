"""Error pages. They render inside the portal shell when they can, and as plain text when they can't
(an unknown host has no tenant, no URLs and no user)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PLAIN = {
    403: "403 Forbidden / 이 페이지를 열 수 없습니다",
    404: "404 Not found / 페이지를 찾을 수 없습니다",
    500: "500 Server error / 잠시 후 다시 시도해 주세요",
}


def _render(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    try:
        return render(request, template, context or {}, status=status)
    except Exception:  # the shell needs a tenant; without one, say it plainly
        return HttpResponse(PLAIN[status], status=status, content_type="text/plain; charset=utf-8")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "403.html", 403, {"reason": str(exception or "")})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page left open too long (or from another site): say what to do, in the shell."""
    return _render(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PLAIN[500], status=500, content_type="text/plain; charset=utf-8")
