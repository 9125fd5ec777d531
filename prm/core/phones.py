"""Korean phone numbers: stored in E.164, shown the way Koreans write them."""

import unicodedata

import phonenumbers


def normalize_phone(value: str) -> str | None:
    """E.164 for a valid number (Korean unless it starts with +), else None."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, "KR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """+821012345678 -> 010-1234-5678; a foreign number in international form; junk as it is."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "KR")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 82:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
