"""Reading a price list file: encodings, headers, rows and their errors; export reads back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.price_list import (
    MAX_FILE_BYTES,
    PriceColumn,
    PriceListError,
    ProductRow,
    ReadRows,
    ServiceRow,
    decode,
    guess_mapping,
    read_rows,
    read_table,
    write_csv,
)
from frontdesk.domain.price_list_cells import canonical_amount

ZH = "类型,类别,名称,价格,时长,税率\n服务,按摩,中式推拿,198,60,6\n服务,足疗,足底按摩,128.50,45,6\n"
RU = (
    "Тип;Категория;Название;Цена;Длительность;НДС\n"
    "услуга;Массаж;Классический массаж спины;1500,00;60;20\n"
    "услуга;Баня;Парение веником;2 500;30;20\n"
)


def read(data: bytes, currency: str = "GBP", encoding: str = "auto") -> ReadRows:
    table = read_table(decode(data, encoding).text)
    return read_rows(table, guess_mapping(table.headers), currency)


def test_utf8_with_and_without_bom() -> None:
    text = "name,price,duration\nSwedish massage,85,60\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        decoded = decode(data)
        assert decoded.encoding == "utf-8"
        rows = read(data)
        assert rows.errors == ()
        assert rows.services[0].name == "Swedish massage"
        assert rows.services[0].price_minor == 8500


def test_gb18030_is_told_from_cp1251() -> None:
    decoded = decode(ZH.encode("gb18030"))
    assert decoded.encoding == "gb18030"
    rows = read(ZH.encode("gb18030"), "CNY")
    assert [s.name for s in rows.services] == ["中式推拿", "足底按摩"]
    assert rows.services[1].price_minor == 12850
    assert rows.services[0].tax_rate_bp == 600


def test_cp1251_is_told_from_gb18030() -> None:
    assert decode(RU.encode("cp1251")).encoding == "cp1251"
    rows = read(RU.encode("cp1251"), "RUB")
    assert rows.errors == ()
    assert [(s.category, s.price_minor) for s in rows.services] == [
        ("Массаж", 150000),
        ("Баня", 250000),
    ]


def test_short_cyrillic_words_are_still_cp1251() -> None:
    data = "название,цена,длительность\nмассаж,1500,60\n".encode("cp1251")
    assert decode(data).encoding == "cp1251"


def test_mojibake_names_the_encodings_tried() -> None:
    noise = bytes(range(0x80, 0x100)) * 4
    with pytest.raises(PriceListError) as caught:
        decode(b"name,price\n" + noise)
    assert "UTF-8, GB18030, Windows-1251" in caught.value.message


def test_a_chosen_encoding_that_does_not_fit_is_refused() -> None:
    with pytest.raises(PriceListError) as caught:
        decode(ZH.encode("gb18030"), "utf-8")
    assert "UTF-8" in caught.value.message


def test_empty_and_oversized_files() -> None:
    for data in (b"", b"\xef\xbb\xbf", b"\r\n  \n"):
        with pytest.raises(PriceListError, match="empty"):
            decode(data)
    with pytest.raises(PriceListError, match="5 MB"):
        decode(b"a" * (MAX_FILE_BYTES + 1))


def test_headers_in_three_languages_with_units() -> None:
    assert guess_mapping(["Название", "Цена, ₽", "Длительность (мин)", "Штрих-код"]) == (
        PriceColumn.NAME,
        PriceColumn.PRICE,
        PriceColumn.DURATION,
        PriceColumn.BARCODE,
    )
    assert guess_mapping(["名称", "价格", "时长（分钟）", "货号", "条码"]) == (
        PriceColumn.NAME,
        PriceColumn.PRICE,
        PriceColumn.DURATION,
        PriceColumn.SKU,
        PriceColumn.BARCODE,
    )
    assert guess_mapping(["NAME", "Room_Kind", "Notes", "name"]) == (
        PriceColumn.NAME,
        PriceColumn.ROOM_KIND,
        None,
        None,
    )


def test_missing_columns_are_named() -> None:
    rows = read(b"name,duration\nMassage,60\n")
    assert [(e.line, e.error.params["column"]) for e in rows.errors] == [(0, PriceColumn.PRICE)]
    rows = read(b"name,price,sku\nMassage,60,\n")
    assert [e.error.params["column"] for e in rows.errors] == [PriceColumn.DURATION]
    rows = read(b"type,name,price,duration\nproduct,Oil,12,\n")
    assert [e.error.params["column"] for e in rows.errors] == [PriceColumn.SKU]


def test_bad_cells_are_reported_by_line_and_column() -> None:
    data = (
        b"name,price,duration,tax\n"
        b"Good,10,30,20\n"
        b"Bad price,ten,30,20\n"
        b"Bad duration,10,soon,20\n"
        b"Bad tax,10,30,120\n"
        b"Negative,-5,30,20\n"
    )
    rows = read(data)
    assert [s.name for s in rows.services] == ["Good"]
    assert [(e.line, e.column) for e in rows.errors] == [
        (3, "price"),
        (4, "duration"),
        (5, "tax"),
        (6, "price"),
    ]
    assert "100" in rows.errors[2].error.message
    assert "negative" in rows.errors[3].error.message


def test_duplicate_sku_and_barcode_within_the_file() -> None:
    data = b"name,sku,barcode,price\nOil,OIL-1,123,10\nOil again,oil-1,456,10\nCream,CR-1,123,10\n"
    rows = read(data)
    assert [(e.line, e.column, e.error.params.get("other")) for e in rows.errors] == [
        (3, "sku", 2),
        (4, "barcode", 2),
    ]


def test_type_words_in_three_languages() -> None:
    data = (
        "type,name,sku,price,duration\n"
        "服务,推拿,,100,60\n"
        "товар,Масло,M-1,100,\n"
        "商品,精油,J-1,100,\n"
        "gift card,Card,,100,\n"
    ).encode()
    rows = read(data)
    assert [s.name for s in rows.services] == ["推拿"]
    assert [p.sku for p in rows.products] == ["M-1", "J-1"]
    assert [(e.line, e.column) for e in rows.errors] == [(5, "type")]


def test_amounts_as_price_lists_write_them() -> None:
    assert canonical_amount("1 234,50", "RUB") == "1234.50"
    assert canonical_amount("1,234.50", "GBP") == "1234.50"
    assert canonical_amount("1.234,5", "EUR") == "1234.5"
    assert canonical_amount("1,200", "GBP") == "1200"
    assert canonical_amount("120,5", "GBP") == "120.5"


# -- export reads back ------------------------------------------------------------------------

names = (
    st.text(
        st.characters(
            whitelist_categories=("Lu", "Ll", "Lo", "Nd"),
            whitelist_characters=" -'\"&,;",
        ),
        min_size=1,
        max_size=40,
    )
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)
tags = st.lists(
    st.text(st.characters(whitelist_categories=("Ll", "Lo")), min_size=1, max_size=12),
    max_size=3,
).map(lambda found: tuple(dict.fromkeys(t.casefold() for t in found)))
minor = st.integers(min_value=0, max_value=10**9)
rate = st.integers(min_value=0, max_value=10_000)


@st.composite
def services(draw: st.DrawFn, line: int) -> ServiceRow:
    return ServiceRow(
        line=line,
        category=draw(names),
        name=draw(names),
        price_minor=draw(minor),
        duration_minutes=draw(st.integers(1, 1440)),
        buffer_minutes=draw(st.integers(0, 120)),
        tax_rate_bp=draw(rate),
        room_kind=draw(st.one_of(st.just(""), names.map(lambda t: t[:40].strip()))),
        capacity_used=draw(st.integers(1, 50)),
        ingredients=draw(tags),
        contraindications=draw(tags),
    )


@st.composite
def products(draw: st.DrawFn, line: int) -> ProductRow:
    return ProductRow(
        line=line,
        sku=f"SKU-{line}",
        name=draw(names),
        price_minor=draw(minor),
        tax_rate_bp=draw(rate),
        barcode=draw(st.sampled_from(["", f"40{line:011d}"])),
        stock=draw(st.integers(0, 10_000)),
        low_stock_level=draw(st.integers(0, 100)),
        ingredients=draw(tags),
        contraindications=draw(tags),
    )


@given(
    data=st.data(),
    currency=st.sampled_from(["GBP", "RUB", "CNY", "JPY"]),
    language=st.sampled_from(["en", "zh", "ru"]),
    decimal_mark=st.sampled_from([".", ","]),
)
def test_any_exported_row_is_read_back_equal(
    data: st.DataObject, currency: str, language: str, decimal_mark: str
) -> None:
    n_services = data.draw(st.integers(0, 4))
    n_products = data.draw(st.integers(0 if n_services else 1, 4))
    wrote_services = [data.draw(services(2 + i)) for i in range(n_services)]
    # Names unique per category, as the file rule wants.
    unique = {(str(s.category).casefold(), s.name.casefold()): s for s in wrote_services}
    wrote_services = list(unique.values())
    wrote_services = [
        ServiceRow(**{**s.__dict__, "line": 2 + i}) for i, s in enumerate(wrote_services)
    ]
    wrote_products = [data.draw(products(2 + len(wrote_services) + i)) for i in range(n_products)]
    exported = write_csv(
        wrote_services, wrote_products, currency, language=language, decimal_mark=decimal_mark
    )
    assert exported.startswith(b"\xef\xbb\xbf")
    rows = read(exported, currency)
    assert rows.errors == ()
    assert list(rows.services) == wrote_services
    assert list(rows.products) == wrote_products


def test_two_columns_for_one_field_is_one_error() -> None:
    table = read_table("name,price,cost,duration\nMassage,10,12,60\n")
    mapping = (PriceColumn.NAME, PriceColumn.PRICE, PriceColumn.PRICE, PriceColumn.DURATION)
    rows = read_rows(table, mapping, "GBP")
    assert rows.services == ()
    [error] = rows.errors
    assert error.line == 0
    assert error.error.params["first"] == "price"
    assert error.error.params["second"] == "cost"
