"""Error responses every endpoint documents in the OpenAPI schema."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorOut(serializers.Serializer):
    detail = serializers.CharField()


class FieldErrorsOut(serializers.Serializer):
    """One key per bad field or parameter (or `detail`), each with the messages that say what to fix."""

    detail = serializers.ListField(child=serializers.CharField(), required=False)


UNAUTHENTICATED = {401: OpenApiResponse(ErrorOut, description="No or bad credentials (Token or session)")}
READ_ERRORS = {**UNAUTHENTICATED,
               403: OpenApiResponse(ErrorOut, description="Your role can't use this"),
               404: OpenApiResponse(ErrorOut, description="No such object, or not yours to see")}
WRITE_ERRORS = {400: OpenApiResponse(FieldErrorsOut, description="Invalid input; the keys name the fields"),
                **READ_ERRORS}
