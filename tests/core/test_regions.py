"""prm.core.regions: address resolution, code look-ups and distances over the bundled centroid table."""

from __future__ import annotations

import csv
import os
import time
import unicodedata
from pathlib import Path

import pytest

from prm.core.regions import Region, all_sido, distance_km, region_by_code, resolve_address, sigungu_of

SHARED = Path(os.environ.get("PRM_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data"))
DEALER_LISTS = SHARED / "dealer-lists"
BUNDLED_CSV = Path(__file__).resolve().parents[2] / "prm" / "core" / "data" / "kr_sigungu_centroids.csv"


def code_of(address: str) -> str | None:
    region = resolve_address(address)
    return region.code if region else None


def shared_file(name: str) -> Path:
    """The shared sample, or the byte-identical copy the repository keeps for the demo."""
    path = DEALER_LISTS / name
    return path if path.exists() else Path(__file__).resolve().parents[2] / "demo" / "dealer-lists" / name


def resolves_to_its_own_sigungu(address: str) -> bool:
    """The address resolved to a 시군구 whose label is how the address itself begins."""
    region = resolve_address(address)
    return region is not None and region.sigungu != "" and " ".join(address.split()).startswith(region.label)


# --- resolve_address ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "서울특별시 강남구 테헤란로 12",
        "서울 강남구 테헤란로 12",
        "서울시 강남구",
        "  서울특별시,  강남구\n테헤란로 12 ",
    ],
)
def test_seoul_gangnam_resolves_with_full_short_and_messy_spellings(address: str) -> None:
    region = resolve_address(address)
    assert region == Region("11680", "서울특별시", "강남구", 37.51458, 127.04956)
    assert region.label == "서울특별시 강남구"


@pytest.mark.parametrize(
    "address",
    [
        "경기도 성남시 분당구 판교역로 1",
        "경기 성남시 분당구",
        "경기도 성남시분당구 판교역로 1",
        "성남시 분당구",
        "분당구 판교역로",
    ],
)
def test_a_gu_of_a_split_city_matches_with_or_without_the_space_and_without_the_sido(address: str) -> None:
    region = resolve_address(address)
    assert region is not None
    assert (region.code, region.sido, region.sigungu) == ("41135", "경기도", "성남시 분당구")


def test_pohang_is_spelled_without_a_space_in_the_table_but_matches_both_ways_and_is_output_spaced() -> None:
    for address in ("경상북도 포항시남구 대잠동", "경북 포항시 남구", "포항시 남구 효자동"):
        region = resolve_address(address)
        assert region is not None and region.code == "47111"
        assert region.label == "경상북도 포항시 남구"
    assert code_of("경북 포항시 북구") == "47113"


def test_a_split_city_without_its_gu_resolves_to_a_synthesised_city_region() -> None:
    region = resolve_address("경기도 성남시 판교역로 1")
    assert region is not None
    assert (region.code, region.label) == ("41130", "경기도 성남시")
    # centroid is the mean of its three 구
    gu = [region_by_code(code) for code in ("41131", "41133", "41135")]
    assert region.lat == pytest.approx(sum(g.lat for g in gu if g) / 3)
    assert region_by_code("41130") == region
    assert code_of("경기 수원시 장안구") == "41111"
    assert code_of("수원시 팔달구 효원로") == "41115"


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("부산 해운대구 센텀중앙로 79", "26350"),
        ("부산시 해운대구", "26350"),
        ("부산광역시 해운대구", "26350"),
        ("경기 수원시 영통구 광교로 1", "41117"),
        ("경기도 수원시 영통구", "41117"),
        ("대구 수성구", "27260"),
        ("인천 연수구", "28185"),
        ("광주 광산구", "29200"),
        ("대전 유성구", "30200"),
        ("울산 울주군", "31710"),
        ("충북 청주시 흥덕구", "43113"),
        ("충청북도 청주시 흥덕구", "43113"),
        ("충남 천안시 서북구", "44133"),
        ("충청남도 천안시 서북구", "44133"),
        ("전남 여수시", "46130"),
        ("전라남도 여수시", "46130"),
        ("경북 경주시", "47130"),
        ("경남 김해시", "48250"),
        ("경상남도 김해시", "48250"),
        ("제주 서귀포시", "50130"),
        ("제주특별자치도 제주시 첨단로 242", "50110"),
    ],
)
def test_sido_abbreviations_and_full_names_resolve_to_the_same_sigungu(address: str, code: str) -> None:
    assert code_of(address) == code


@pytest.mark.parametrize(
    ("old", "new", "code", "sido"),
    [
        ("강원도 춘천시 중앙로 1", "강원특별자치도 춘천시 중앙로 1", "42110", "강원특별자치도"),
        (
            "전라북도 전주시 완산구 효자로 225",
            "전북특별자치도 전주시 완산구 효자로 225",
            "45111",
            "전북특별자치도",
        ),
    ],
)
def test_old_and_new_sido_names_resolve_to_the_same_region_with_the_new_name(
    old: str, new: str, code: str, sido: str
) -> None:
    assert resolve_address(old) == resolve_address(new)
    region = resolve_address(old)
    assert region is not None and region.code == code and region.sido == sido
    short = "강원 춘천시" if code == "42110" else "전북 전주시 완산구"
    assert code_of(short) == code


def test_old_and_new_sido_names_alone_give_the_same_sido_level_region() -> None:
    gangwon = region_by_code("42")
    assert (
        resolve_address("강원도") == resolve_address("강원특별자치도") == resolve_address("강원") == gangwon
    )
    assert resolve_address("전라북도") == resolve_address("전북특별자치도") == region_by_code("45")
    assert region_by_code("42").sido == "강원특별자치도"
    assert region_by_code("45").sido == "전북특별자치도"


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("서울특별시 중구 세종대로 110", "11140"),
        ("부산 중구 중앙대로 120", "26110"),
        ("대구광역시 중구", "27110"),
        ("인천 중구 공항로", "28110"),
        ("대전 중구", "30140"),
        ("울산 중구", "31110"),
        ("부산 서구", "26140"),
        ("대구 서구", "27170"),
        ("인천 서구", "28260"),
        ("광주 서구", "29140"),
        ("대전 서구", "30170"),
        ("부산 강서구", "26440"),
        ("서울 강서구", "11500"),
        ("강원 고성군", "42820"),
        ("경남 고성군", "48820"),
    ],
)
def test_shared_sigungu_names_are_resolved_inside_the_sido_of_the_address(address: str, code: str) -> None:
    assert code_of(address) == code


def test_an_ambiguous_sigungu_without_a_sido_gives_none() -> None:
    for address in ("중구 을지로 1", "중구", "서구 가좌동", "남구", "동구 중앙로", "고성군 거진읍"):
        assert resolve_address(address) is None


def test_a_unique_sigungu_name_without_a_sido_is_matched() -> None:
    assert code_of("해운대구 우동") == "26350"
    assert code_of("강남구 테헤란로") == "11680"
    assert code_of("춘천시 중앙로") == "42110"
    assert code_of("제주시 연동") == "50110"


def test_only_a_sido_gives_the_sido_level_region() -> None:
    for address, code in (("서울", "11"), ("부산광역시 어딘가로 1", "26"), ("경기도", "41"), ("제주", "50")):
        region = resolve_address(address)
        assert region is not None and region.code == code and region.sigungu == ""
        assert region.label == region.sido
    # a 구 that does not exist in that sido does not pull in another sido's 구
    assert code_of("서울특별시 해운대구") == "11"
    assert code_of("대전 중구청로 1") == "30"


def test_nothing_recognisable_gives_none() -> None:
    for address in ("", "   ", ",\n,", "123 Main Street", "테헤란로 12", "Seoul"):
        assert resolve_address(address) is None


def test_street_names_containing_region_names_are_not_taken_for_regions() -> None:
    assert code_of("부산광역시 사하구 세종대로 237") == "26380"
    assert code_of("경기도 용인시 수지구 해운대로 55") == "41465"
    assert resolve_address("세종대로 110") is None


def test_input_is_nfc_normalised_and_invisible_characters_are_ignored() -> None:
    decomposed = unicodedata.normalize("NFD", "서울특별시 강남구 테헤란로 12")
    assert decomposed != "서울특별시 강남구 테헤란로 12"
    assert code_of(decomposed) == "11680"
    assert code_of("서울특별시\u200b 강남구\ufeff") == "11680"
    assert code_of("서울특별시\u3000강남구(역삼동)") == "11680"


def test_gwangju_si_is_the_metropolitan_city_with_one_of_its_gu_and_gyeonggi_gwangju_otherwise() -> None:
    assert code_of("광주시 서구 상무대로") == "29140"
    assert code_of("광주광역시 북구") == "29170"
    assert code_of("경기도 광주시 오포읍") == "41610"
    assert code_of("경기 광주시") == "41610"
    assert code_of("광주시 오포읍") == "41610"
    assert code_of("광주") == "29"


def test_sejong_addresses_resolve_to_its_single_sigungu_row() -> None:
    for address in ("세종특별자치시 한누리대로 2130", "세종시 한누리대로", "세종 보람동"):
        region = resolve_address(address)
        assert region is not None and region.code == "36110"
        assert region.label == "세종특별자치시"


def test_names_changed_since_the_table_still_resolve() -> None:
    # 군위군 joined 대구광역시 in 2023; 인천 남구 became 미추홀구 in 2018
    assert code_of("대구광역시 군위군 군위읍") == "47720"
    assert code_of("경상북도 군위군") == "47720"
    assert code_of("인천광역시 남구 주안동") == "28177"
    assert code_of("인천광역시 미추홀구") == "28177"


# --- look-ups -----------------------------------------------------------------------------------------


def test_region_by_code_finds_sido_and_sigungu_and_accepts_the_new_gangwon_and_jeonbuk_codes() -> None:
    assert region_by_code("11") == Region("11", "서울특별시", "", 37.56357, 126.98001)
    assert region_by_code("26350").label == "부산광역시 해운대구"
    assert region_by_code("47111").sigungu == "포항시 남구"
    assert region_by_code("51110") == region_by_code("42110")
    assert region_by_code("52111") == region_by_code("45111")
    assert region_by_code("27720") == region_by_code("47720")
    assert region_by_code(" 11680 ").sigungu == "강남구"
    for missing in ("", "99", "11999", "abc", "1168"):
        assert region_by_code(missing) is None


def test_the_ieodo_junk_rows_at_the_end_of_the_table_do_not_replace_jeju() -> None:
    assert region_by_code("50").sido == "제주특별자치도"
    assert all(r.sido != "이어도" for r in all_sido())


def test_all_sido_lists_the_seventeen_sido_in_code_order() -> None:
    sido = all_sido()
    assert [r.code for r in sido] == [
        "11", "26", "27", "28", "29", "30", "31", "36", "41", "42", "43", "44", "45", "46", "47", "48", "50",
    ]  # fmt: skip
    assert all(r.sigungu == "" for r in sido)
    assert {r.sido for r in sido} >= {"강원특별자치도", "전북특별자치도", "세종특별자치시"}
    assert not {r.sido for r in sido} & {"강원도", "전라북도"}


def test_sigungu_of_lists_the_table_rows_of_a_sido() -> None:
    seoul = sigungu_of("11")
    assert len(seoul) == 25
    assert [r.code for r in seoul] == sorted(r.code for r in seoul)
    assert {r.sido for r in seoul} == {"서울특별시"}
    assert len(sigungu_of("42")) == 18
    assert sigungu_of("51") == sigungu_of("42")
    assert [r.code for r in sigungu_of("36")] == ["36110"]
    gyeonggi = {r.sigungu for r in sigungu_of("41")}
    assert "성남시 분당구" in gyeonggi and "성남시" not in gyeonggi
    assert sigungu_of("11680") == [] and sigungu_of("99") == []
    # 263 data rows = 17 sido + 244 시군구 + the two 이어도 rows, which are dropped
    assert sum(len(sigungu_of(r.code)) for r in all_sido()) == 244


def test_every_sigungu_in_the_table_resolves_from_its_own_label() -> None:
    for sido in all_sido():
        for region in sigungu_of(sido.code):
            assert resolve_address(region.label + " 어느로 1") == region, region.label


# --- distance -----------------------------------------------------------------------------------------


def test_distance_between_seoul_and_busan_centroids_is_about_325_km() -> None:
    seoul, busan = region_by_code("11"), region_by_code("26")
    assert seoul is not None and busan is not None
    km = distance_km((seoul.lat, seoul.lon), (busan.lat, busan.lon))
    assert 300 < km < 340
    assert km == pytest.approx(325.05, abs=0.1)
    assert distance_km(busan.point, seoul.point) == pytest.approx(km)


def test_distance_is_zero_for_the_same_point_and_a_quarter_meridian_for_pole_to_equator() -> None:
    assert distance_km((37.5, 127.0), (37.5, 127.0)) == 0.0
    assert distance_km((0.0, 0.0), (90.0, 0.0)) == pytest.approx(6371.0088 * 3.141592653589793 / 2)
    assert distance_km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(6371.0088 * 3.141592653589793)


# --- real data ------------------------------------------------------------------------------------------


def test_the_bundled_table_is_a_copy_of_the_shared_one() -> None:
    shared = SHARED / "regions" / "kr_sigungu_centroids.csv"
    assert shared.exists(), f"the shared table is missing at {shared} (set PRM_SHARED_DATA)"
    assert BUNDLED_CSV.read_bytes() == shared.read_bytes()


def test_every_address_in_the_crm_export_resolves_to_the_sigungu_it_names() -> None:
    with shared_file("crm-export_utf8-bom.csv").open(encoding="utf-8-sig", newline="") as f:
        addresses = [row["Address"] for row in csv.DictReader(f)]
    assert len(addresses) == 150
    assert any("\n" in a for a in addresses)  # the quoted multi-line one is in the sample
    assert [a for a in addresses if not resolves_to_its_own_sigungu(a)] == []
    assert code_of("경기도 성남시 분당구 판교역로 312") == "41135"


def test_every_address_in_the_seoul_distributor_csv_resolves_to_the_sigungu_it_names() -> None:
    with shared_file("seoul-distributor_cp949.csv").open(encoding="cp949", newline="") as f:
        addresses = [row["주소"] for row in csv.DictReader(f) if row["주소"].strip()]
    assert len(addresses) == 301
    assert [a for a in addresses if not resolves_to_its_own_sigungu(a)] == []


def test_every_address_in_the_busan_workbook_resolves_to_the_sigungu_it_names() -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(shared_file("busan-distributor.xlsx"), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    column = rows[2].index("주소")  # title on row 1, blank row 2, header on row 3
    addresses = [row[column] for row in rows[3:] if isinstance(row[column], str)]
    assert len(addresses) == 200
    assert [a for a in addresses if not resolves_to_its_own_sigungu(a)] == []


def test_resolving_100000_addresses_takes_a_few_seconds_at_most() -> None:
    sample = [
        "서울특별시 강남구 테헤란로 12",
        "경기도 성남시 분당구 판교역로 1",
        "부산 해운대구 센텀중앙로 79",
        "전라북도 전주시 완산구 효자로 225",
        "대전광역시 서구 판교역로 262,\n3층 301호",
        "중구 을지로 1",
        "경상북도 포항시남구 대잠동",
        "어딘가 모르는 곳 123",
    ]
    addresses = [sample[i % len(sample)] + f" {i}" for i in range(100_000)]
    resolve_address(sample[0])  # table loading is not part of the per-address cost
    start = time.perf_counter()
    for address in addresses:
        resolve_address(address)
    assert time.perf_counter() - start < 5.0
