"""The COPY writer for new dealers stays in step with the model and escapes what COPY's format frames."""

from partners.bulk import NEW_DEALER_COLUMNS, _text
from partners.models import Organization


def test_the_copy_columns_are_every_column_of_an_organisation_but_its_id():
    model_columns = {field.column for field in Organization._meta.concrete_fields} - {"id"}
    assert set(NEW_DEALER_COLUMNS) == model_columns


def test_copy_text_escapes_tabs_newlines_backslashes_and_writes_nulls():
    assert _text(None) == "\\N"
    assert _text("대전광역시 서구 판교역로 262,\n3층 301호") == "대전광역시 서구 판교역로 262,\\n3층 301호"
    assert _text("a\tb\\c\r") == "a\\tb\\\\c\\r"
    assert _text(["retail"]) == "{retail}" and _text([]) == "{}"
    assert _text(True) == "t" and _text(0) == "0"
