"""Korean administrative regions (시/도 and 시/군/구): look-up by code and resolution of free-text addresses.

Pure Python over a bundled copy of the shared centroid table (``data/kr_sigungu_centroids.csv``, taken from
the KMA forecast-grid table). No Django, no network: the table is parsed once per process and turned into
plain dicts so that resolving an address costs a tokenisation plus a handful of dict look-ups.

What the table does not say and this module adds (each one is commented where it happens):

* 강원도 and 전라북도 were renamed (2023, 2024). ``Region.sido`` carries the current name; the old and new
  names, the short forms (강원, 전북) and the new sido codes (51, 52) are all accepted.
* Multi-level names are spelled two ways in the table (``"성남시 분당구"`` but ``"포항시남구"``). Output is
  normalised to the spaced form; input matches with or without the space, and the 구 alone matches too.
* The table has no row for a city that is split into 구 (수원시, 성남시, 포항시, ...). Such a city is
  synthesised from its 구 rows (code ``XXXX0`` as in the official code list, centroid = mean of its 구) so
  that "경기도 성남시 판교역로 1" resolves to 성남시 rather than only to 경기도.
* 군위군 moved from 경상북도 to 대구광역시 (2023) and 인천 남구 became 미추홀구 (2018); addresses using
  the current (or, for 미추홀구, the old) wording still find the table's row.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "EARTH_RADIUS_KM",
    "Region",
    "all_sido",
    "distance_km",
    "region_by_code",
    "resolve_address",
    "sigungu_of",
]

# Mean Earth radius (IUGG); haversine with a sphere is well within the accuracy of a centroid table.
EARTH_RADIUS_KM: float = 6371.0088

# Package and file name of the bundled table; derived from __name__ so a rename of the package keeps working.
_PACKAGE: str = __name__.rpartition(".")[0]
_DATA_FILE: str = "data/kr_sigungu_centroids.csv"

# The table predates these renames. Old name -> current name; Region.sido always carries the current one.
_RENAMED_SIDO: dict[str, str] = {"강원도": "강원특별자치도", "전라북도": "전북특별자치도"}

# The renames also issued new codes (강원 42 -> 51, 전북 45 -> 52, same last three digits). The table keeps
# the old ones, which remain the canonical Region.code; the new prefixes are accepted by region_by_code.
_RENUMBERED_SIDO: dict[str, str] = {"51": "42", "52": "45"}

# Short forms people write in addresses, by sido code. Full names (old and new) come from the table itself.
# "광주시" is listed although 경기도 also has a 광주시: resolve_address() disambiguates it (see there).
_SIDO_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "11": ("서울", "서울시"),
    "26": ("부산", "부산시"),
    "27": ("대구", "대구시"),
    "28": ("인천", "인천시"),
    "29": ("광주", "광주시"),
    "30": ("대전", "대전시"),
    "31": ("울산", "울산시"),
    "36": ("세종", "세종시"),
    "41": ("경기",),
    "42": ("강원",),
    "43": ("충북",),
    "44": ("충남",),
    "45": ("전북",),
    "46": ("전남",),
    "47": ("경북",),
    "48": ("경남",),
    "50": ("제주", "제주도"),
}

# Names valid today (or formerly) that the table files elsewhere: (sido code, name as written) -> table code.
# 군위군 joined 대구광역시 in July 2023 (new code 27720) but the table still lists it as 경상북도 47720;
# 인천 남구 was renamed 미추홀구 in 2018 and old addresses still carry the old name.
_EXTRA_NAMES: dict[tuple[str, str], str] = {("27", "군위군"): "47720", ("28", "남구"): "28177"}
_EXTRA_CODES: dict[str, str] = {"27720": "47720"}

# A name like "성남시 분당구" / "포항시남구": a 시 that is split into 일반구. Only 도 have these, which keeps
# the pattern away from metropolitan 구 names.
_MULTI_LEVEL = re.compile(r"^(?P<city>\S+시)\s*(?P<gu>\S+구)$")

# Zero-width characters sometimes pasted from web pages or spreadsheets; they would split or glue tokens.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# Anything that is not a letter or digit separates tokens: spaces, commas, newlines, brackets, dots, "·".
_TOKEN_SEPARATOR = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Region:
    """A 시/도 (``sigungu == ""``) or a 시/군/구 with the centroid of its area."""

    code: str  # 2-digit sido code or 5-digit sigungu code
    sido: str  # current official name, e.g. "강원특별자치도"
    sigungu: str  # "" for a sido; multi-level names spaced: "성남시 분당구"
    lat: float
    lon: float

    @property
    def label(self) -> str:
        """Human-readable name, e.g. "서울특별시 강남구"; 세종's single 시군구 carries the sido's own name."""
        if not self.sigungu or self.sigungu == self.sido:
            return self.sido
        return f"{self.sido} {self.sigungu}"

    @property
    def point(self) -> tuple[float, float]:
        """(lat, lon), the shape distance_km() takes."""
        return (self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class _Index:
    """Everything precomputed from the table; built once by _index()."""

    by_code: dict[str, Region]
    sido: tuple[Region, ...]
    leaves: dict[str, tuple[Region, ...]]  # sido code -> the table's 시군구 rows
    sido_alias: dict[str, str]  # any accepted spelling of a sido -> sido code
    # sido code -> (name without spaces -> Region, or None when that name is ambiguous inside the sido)
    in_sido: dict[str, dict[str, Region | None]]
    # name without spaces -> Region when the name is unique in the country, else None
    national: dict[str, Region | None]
    cities: frozenset[str]  # codes of the synthesised split cities (수원시, 성남시, ...)


def _read_rows() -> list[dict[str, str]]:
    """The bundled CSV as dicts; utf-8-sig so a copy re-saved by Excel with a BOM still reads."""
    text = resources.files(_PACKAGE).joinpath(_DATA_FILE).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _code(region: Region) -> str:
    return region.code


def _unique(names: dict[str, set[Region]]) -> dict[str, Region | None]:
    """Name -> its region when exactly one region has that name; None marks the name as ambiguous."""
    return {name: next(iter(found)) if len(found) == 1 else None for name, found in names.items()}


@cache
def _index() -> _Index:
    by_code: dict[str, Region] = {}
    for row in _read_rows():
        code = (row.get("code") or "").strip()
        sido = unicodedata.normalize("NFC", (row.get("sido") or "").strip())
        sigungu = unicodedata.normalize("NFC", (row.get("sigungu") or "").strip())
        lat, lon = float(row["lat"]), float(row["lon"])
        # The table ends with two "50,이어도,,0.0,0.0" rows: 이어도 is a submerged reef, not a 시/도, and its
        # code collides with 제주특별자치도. Rows without a position or with a code already seen are skipped
        # (first one wins) so such junk cannot shadow a real region.
        if not code.isdigit() or len(code) not in (2, 5) or (lat == 0.0 and lon == 0.0) or code in by_code:
            continue
        sido = _RENAMED_SIDO.get(sido, sido)
        if sido.endswith("도") and (multi := _MULTI_LEVEL.match(sigungu)):
            # The table writes both "성남시 분당구" and "포항시남구"; output always has the space.
            sigungu = f"{multi['city']} {multi['gu']}"
        by_code[code] = Region(code=code, sido=sido, sigungu=sigungu, lat=lat, lon=lon)

    sido_rows = tuple(sorted((r for r in by_code.values() if not r.sigungu), key=_code))
    leaves: dict[str, tuple[Region, ...]] = {
        s.code: tuple(sorted((r for r in by_code.values() if r.sigungu and r.code[:2] == s.code), key=_code))
        for s in sido_rows
    }

    # Split cities have no row of their own; synthesise one per city from its 구 rows.
    city_parts: dict[tuple[str, str], list[Region]] = defaultdict(list)
    for region in by_code.values():
        if " " in region.sigungu:
            city_parts[(region.code[:2], region.sigungu.split(" ", 1)[0])].append(region)
    cities: set[str] = set()
    for (_, city), parts in city_parts.items():
        code = parts[0].code[:4] + "0"  # official numbering: 성남시 41130 over 41131/41133/41135
        if code in by_code or any(p.code[:4] != code[:4] for p in parts):
            continue  # not the expected numbering: better no city row than a wrong one
        lat = sum(p.lat for p in parts) / len(parts)
        lon = sum(p.lon for p in parts) / len(parts)
        by_code[code] = Region(code=code, sido=parts[0].sido, sigungu=city, lat=lat, lon=lon)
        cities.add(code)

    sido_alias: dict[str, str] = {}
    for s in sido_rows:
        sido_alias[s.sido] = s.code
        for name in _SIDO_SHORT_FORMS.get(s.code, ()):
            sido_alias[name] = s.code
    for old, new in _RENAMED_SIDO.items():
        if new in sido_alias:
            sido_alias[old] = sido_alias[new]

    # Every name a 시군구 answers to, without spaces so "성남시 분당구" (two tokens) and "성남시분당구" (one)
    # meet the same key: the full name, the 구 alone ("분당구") and the synthesised city ("성남시").
    in_sido_names: dict[str, dict[str, set[Region]]] = {s.code: defaultdict(set) for s in sido_rows}
    national_names: dict[str, set[Region]] = defaultdict(set)
    for region in by_code.values():
        if not region.sigungu or region.code[:2] not in in_sido_names:
            continue
        names = {region.sigungu.replace(" ", ""), region.sigungu.rsplit(" ", 1)[-1]}
        for name in names:
            in_sido_names[region.code[:2]][name].add(region)
            national_names[name].add(region)
    for (sido_code, name), code in _EXTRA_NAMES.items():
        if sido_code in in_sido_names and code in by_code:
            in_sido_names[sido_code][name] = {by_code[code]}
    in_sido = {code: _unique(names) for code, names in in_sido_names.items()}

    for old, new in _EXTRA_CODES.items():
        if new in by_code:
            by_code.setdefault(old, by_code[new])

    return _Index(
        by_code=by_code,
        sido=sido_rows,
        leaves=leaves,
        sido_alias=sido_alias,
        in_sido=in_sido,
        national=_unique(national_names),
        cities=frozenset(cities),
    )


def _tokens(address: str) -> list[str]:
    """NFC (so decomposed Hangul from macOS or some exports matches), invisible characters out, split."""
    text = unicodedata.normalize("NFC", address).translate(_INVISIBLE)
    return [token for token in _TOKEN_SEPARATOR.split(text) if token]


def _find(tokens: list[str], names: dict[str, Region | None], cities: frozenset[str]) -> Region | None:
    """The first 시군구 named in the tokens, most specific first.

    At each position two adjacent tokens are tried before one ("성남시 분당구" beats "성남시"). A match on a
    split city keeps looking further on for one of its 구, in case something stood between them.
    """
    count = len(tokens)
    for i, token in enumerate(tokens):
        found = names.get(token + tokens[i + 1]) if i + 1 < count else None
        if found is None:
            found = names.get(token)
        if found is None:
            continue
        if found.code in cities:
            prefix = found.code[:4]
            for later in tokens[i + 1 :]:
                part = names.get(later)
                if part is not None and part.code[:4] == prefix and part.code != found.code:
                    return part
        return found
    return None


def resolve_address(address: str) -> Region | None:
    """The most specific region named in a free-text Korean address, or None when none is recognised.

    "서울특별시 강남구 테헤란로 12", "서울 강남구", "서울시 강남구" -> 강남구; "경기 성남시 분당구 ..." ->
    성남시 분당구; "경기도 성남시 ..." -> 성남시 (synthesised); "부산 ..." -> 부산광역시. Names shared by
    several sido (중구, 서구, 고성군...) are looked up only inside the sido named in the address; without a
    sido only a name unique in the country is accepted. Matching is on whole tokens, so street names such as
    "세종대로" or "해운대로" are not taken for 세종 or 해운대구.
    """
    if not address:
        return None
    tokens = _tokens(address)
    index = _index()

    # Sido mentioned, in order of appearance. Usually one; "경기도 광주시" yields 경기도 then 광주광역시 (via
    # "광주시"), and trying them in order settles it on 경기도 광주시.
    sido_codes = list(dict.fromkeys(code for token in tokens if (code := index.sido_alias.get(token))))
    for sido_code in sido_codes:
        found = _find(tokens, index.in_sido[sido_code], index.cities)
        if found is not None:
            return found

    if sido_codes:
        # A token taken for a sido may itself be a 시군구 named in no other way: "광주시 오포읍" names
        # no 구 of 광주광역시, so it is 경기도 광주시. Only tokens that were read as a sido are retried,
        # so "서울특별시 해운대구" does not jump to 부산.
        for token in tokens:
            if token in index.sido_alias and (found := index.national.get(token)) is not None:
                return found
        sido_region = index.by_code[sido_codes[0]]
        # 세종특별자치시 has no 시군구 below it: the table gives it one row with the sido's name and code
        # 36110. Returning that row keeps every 세종 address at the same (sigungu) level as everywhere else.
        only = index.leaves.get(sido_region.code, ())
        return only[0] if len(only) == 1 else sido_region

    return _find(tokens, index.national, index.cities)


def region_by_code(code: str) -> Region | None:
    """The region with this 2- or 5-digit code (the table's codes; 51/52-prefixed 강원/전북 codes and 27720
    for 군위군 are mapped to them); synthesised split cities (e.g. 41130 성남시) are included."""
    code = (code or "").strip()
    index = _index()
    if code in index.by_code:
        return index.by_code[code]
    if code[:2] in _RENUMBERED_SIDO:
        return index.by_code.get(_RENUMBERED_SIDO[code[:2]] + code[2:])
    return None


def all_sido() -> list[Region]:
    """The 17 시/도, by code."""
    return list(_index().sido)


def sigungu_of(sido_code: str) -> list[Region]:
    """The table's 시군구 of a 시/도, by code.

    Split cities appear as their 구 only, not as the synthesised city (which region_by_code still finds).
    """
    sido = region_by_code(sido_code)
    if sido is None or sido.sigungu:
        return []
    return list(_index().leaves.get(sido.code, ()))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees (haversine, mean radius)."""
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    # min() guards against h creeping above 1 by rounding for antipodal points, which would make asin fail.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
