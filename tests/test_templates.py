"""Blank report templates: built from the catalogue, with dropdowns and formats, and valid reports once filled in."""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict
from datetime import date

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from ground.catalogue import load_catalogue
from ground.text import fold
from intake import templates

FILLED_MONTH = "THÁNG 10 NĂM 2026"
FILLED_DATE = "An Phú, ngày 05 tháng 11 năm 2026"


def _all(catalogue):
    return [(k, u) for k, u, _, _ in templates.template_names(catalogue)]


TEMPLATES = _all(load_catalogue())
IDS = [f"{k}-{u}" if u else k for k, u in TEMPLATES]


def test_names_cover_every_kind_and_every_unit_with_a_monthly_table(catalogue):
    names = templates.template_names(catalogue)
    kinds = [k for k, _, _, _ in names]
    assert set(kinds) == {"trong_cay", "thu_tuc_hanh_chinh", "ocop_vietgap", "khong_tien_mat", "bang_thang"}
    owners = {i.responsible for i in templates.generic_indicators(catalogue)}
    assert {u for k, u, _, _ in names if k == "bang_thang"} == owners
    files = [f for _, _, f, _ in names]
    assert len(set(files)) == len(files) and all(f.endswith(".xlsx") and f.isascii() for f in files)
    assert all(label.startswith("Mẫu ") for _, _, _, label in names)
    # Indicators with a report kind of their own never land in a monthly table.
    generic = {i.code for i in templates.generic_indicators(catalogue)}
    assert not generic & {c for codes in templates.KIND_INDICATORS.values() for c in codes}
    assert {"rac_phan_loai", "tt_tin_bai", "chat_thai_y_te", "truong_xanh"} <= generic


@pytest.mark.parametrize(("kind", "unit"), TEMPLATES, ids=IDS)
def test_each_template_has_the_form_a_unit_expects(catalogue, kind, unit):
    data = templates.template_bytes(kind, catalogue, unit)
    assert data == templates.template_bytes(kind, catalogue, unit)
    wb = load_workbook(io.BytesIO(data))
    form = wb.worksheets[0]
    assert form.sheet_state == "visible" and wb.active.title == form.title
    texts = [str(c.value) for row in form.iter_rows() for c in row if c.value is not None]
    assert catalogue.commune.people_committee in texts
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts and "NGƯỜI LẬP BIỂU" in texts
    assert any("THÁNG ......" in t or "Tính đến ngày" in t for t in texts)
    assert any(t.startswith("An Phú, ngày ......") for t in texts)
    assert form.merged_cells.ranges and form.freeze_panes
    assert form.column_dimensions["B"].width >= 20
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert calamine.sheet_names == wb.sheetnames


def test_village_dropdowns_refer_to_a_hidden_list_of_the_catalogue_villages(catalogue):
    for kind, unit in _all(catalogue):
        wb = load_workbook(io.BytesIO(templates.template_bytes(kind, catalogue, unit)))
        lists = [dv for ws in wb.worksheets for dv in ws.data_validations.dataValidation]
        village_lists = [dv for dv in lists if templates.LIST_SHEET in (dv.formula1 or "")]
        has_village_rows = kind in ("trong_cay", "ocop_vietgap") or (
            kind == "bang_thang" and "thon" in templates.unit_quantities(catalogue, unit)
        )
        assert bool(village_lists) == has_village_rows, (kind, unit)
        if village_lists:
            hidden = wb[templates.LIST_SHEET]
            assert hidden.sheet_state == "hidden" and wb.sheetnames[-1] == templates.LIST_SHEET
            assert [r[0].value for r in hidden.iter_rows()] == [v.name for v in catalogue.villages]


def test_another_commune_gets_its_own_villages_and_tables(catalogue):
    villages = catalogue.villages[:3]
    other = dataclasses.replace(catalogue, villages=villages)
    wb = load_workbook(io.BytesIO(templates.template_bytes("bang_thang", other, "phong-kinh-te")))
    assert [r[0].value for r in wb[templates.LIST_SHEET].iter_rows()] == [v.name for v in villages]
    ws = wb.worksheets[0]
    labels = [ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)]
    assert [v.name for v in villages] == [x for x in labels if x in {v.name for v in catalogue.villages}]
    headers = {fold(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for q in [q for qs in templates.unit_quantities(other, "phong-kinh-te").values() for q in qs]:
        assert fold(q.header) in headers


def test_unknown_kind_or_unit_is_refused_in_vietnamese(catalogue):
    with pytest.raises(ValueError, match="Không có mẫu"):
        templates.template_bytes("bao_cao_la", catalogue)
    with pytest.raises(ValueError, match="Các đơn vị có mẫu"):
        templates.template_bytes("bang_thang", catalogue, "van-phong")


def test_number_formats_and_a_formula_total_row(catalogue):
    wb = load_workbook(io.BytesIO(templates.template_bytes("trong_cay", catalogue)))
    ws = wb.worksheets[0]
    first = _first_data_row(ws)
    assert ws.cell(row=first, column=3).number_format == templates.INT_FORMAT
    total_row = next(r for r in range(first, ws.max_row + 1) if ws.cell(row=r, column=2).value == "Tổng cộng")
    assert ws.cell(row=total_row, column=7).value.startswith("=SUM(")
    reg = load_workbook(io.BytesIO(templates.template_bytes("ocop_vietgap", catalogue))).worksheets[0]
    assert reg.cell(row=_first_data_row(reg), column=8).number_format == templates.DATE_FORMAT


# ---------------------------------------------------------------- a filled-in template is a report


def _first_data_row(ws) -> int:
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "STT")
    return next(r for r in range(header + 1, ws.max_row + 1) if isinstance(ws.cell(row=r, column=1).value, int))


def _header_cols(ws) -> dict[str, int]:
    """Folded header text (lower or upper level) -> column."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "STT")
    out = {}
    for r in (header, header + 1):
        for c in range(1, ws.max_column + 1):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str) and not v.startswith("("):
                out.setdefault(fold(v), c)
    return out


def _fill_heading(ws) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and "THÁNG ......" in cell.value:
                cell.value = FILLED_MONTH
            elif isinstance(cell.value, str) and "Tính đến ngày" in cell.value:
                cell.value = "(Tính đến ngày 31/10/2026)"
            elif isinstance(cell.value, str) and cell.value.startswith("An Phú, ngày ......"):
                cell.value = FILLED_DATE


def fill(kind: str, unit: str | None, catalogue) -> tuple[bytes, dict[str, list[float]]]:
    """Fill a template as a unit would; return the bytes and, per indicator, [Σ numerator, Σ denominator]."""
    wb = load_workbook(io.BytesIO(templates.template_bytes(kind, catalogue, unit)))
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for ws in [w for w in wb.worksheets if w.sheet_state == "visible"]:
        _fill_heading(ws)
        cols, first = _header_cols(ws), _first_data_row(ws)
        if kind == "trong_cay":
            for i in range(3):
                for j, place in enumerate(templates.PLACE_TYPES):
                    ws.cell(row=first + i, column=cols[fold(place)], value=10 * (i + 1) + j)
                    sums["cay_xanh_trong_moi"][0] += 10 * (i + 1) + j
        elif kind == "thu_tuc_hanh_chinh":
            for i in range(3):
                received, online, full, on_time, late = 100 + i, 60, 30, 90, 2
                for head, v in (
                    ("tong so ho so tiep nhan", received),
                    ("truc tuyen", online),
                    ("truc tiep, buu chinh", received - online),
                    ("truc tuyen toan trinh", full),
                    ("dung han", on_time),
                    ("qua han", late),
                ):
                    ws.cell(row=first + i, column=cols[head], value=v)
                sums["tthc_truc_tuyen"][0] += online
                sums["tthc_truc_tuyen"][1] += received
        elif kind == "khong_tien_mat":
            for i, name in enumerate(("Trạm Y tế xã", "Trường THCS An Phú")):
                ws.cell(row=first + i, column=2, value=name)
                ws.cell(row=first + i, column=cols["tong so giao dich"], value=400)
                ws.cell(row=first + i, column=cols["giao dich khong dung tien mat"], value=250 + i)
                ws.cell(row=first + i, column=cols["tong gia tri (dong)"], value=50_000_000)
                ws.cell(row=first + i, column=cols["gia tri khong dung tien mat (dong)"], value=30_000_000)
                sums["ttkdtm_giao_dich"][0] += 250 + i
                sums["ttkdtm_giao_dich"][1] += 400
        elif kind == "ocop_vietgap":
            items = (
                ("Mật ong hoa nhãn", "HTX Nuôi ong", catalogue.villages[0].name, "OCOP", "4 sao", date(2026, 3, 1), 0),
                ("Rau an toàn", "HTX Rau sạch", catalogue.villages[1].name, "VietGAP", None, "05/09/2025", 3.5),
            )
            for i, (name, owner, village, cert, stars, issued, area) in enumerate(items):
                for c, v in enumerate((name, owner, village, cert, stars, f"{i + 1}/QĐ-UBND", issued), start=2):
                    ws.cell(row=first + i, column=c, value=v)
                if area:
                    ws.cell(row=first + i, column=cols["dien tich (ha)"], value=area)
            sums["ocop_san_pham"][0] = 1
            sums["vietgap_dien_tich"][0] = 3.5
        else:
            _fill_monthly(ws, catalogue, unit, cols, first, sums)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), dict(sums)


def _fill_monthly(ws, catalogue, unit, cols, first, sums) -> None:
    basis = next(b for b, title in templates.SHEET_TITLES.items() if title == ws.title)
    quantities = templates.unit_quantities(catalogue, unit)[basis]
    if basis == "xa":
        for i, q in enumerate(quantities):
            ws.cell(row=first + i, column=4, value=5 + i)
            sums[q.indicator][0 if q.role == "numerator" else 1] += 5 + i
        return
    for i in range(3):
        if basis != "thon":
            ws.cell(row=first + i, column=2, value=f"Trường số {i + 1}" if basis == "truong" else f"Cơ sở {i + 1}")
        for j, q in enumerate(quantities):
            # Denominators come first and get the larger numbers, so no share exceeds 100%.
            value = 1 if q.indicator in ("truong_xanh", "khu_dan_cu_xanh", "mo_hinh_diem") else 90 - 10 * j
            ws.cell(row=first + i, column=cols[fold(q.header)], value=value)
            sums[q.indicator][0 if q.role == "numerator" else 1] += value


def _read_report():
    import loaders

    reader = getattr(loaders, "read_report", None)
    if reader is None:
        pytest.skip("loaders.read_report chưa có: phần đọc báo cáo đang được viết song song")
    return reader


@pytest.mark.parametrize(("kind", "unit"), TEMPLATES, ids=IDS)
def test_a_filled_in_template_is_a_valid_report(catalogue, kind, unit):
    data, sums = fill(kind, unit, catalogue)
    assert sums and all(n > 0 or d > 0 for n, d in sums.values())
    # The filled values sit where calamine (the reader's library) finds them, formulas left uncached.
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    first = wb.get_sheet_by_name(wb.sheet_names[0]).to_python()
    assert any(FILLED_MONTH in str(c) or "31/10/2026" in str(c) for row in first for c in row)
    read_report = _read_report()
    name = dict(((k, u), f) for k, u, f, _ in templates.template_names(catalogue))[(kind, unit)]
    report = read_report(data, name, catalogue)
    assert report.ok, [p.message for p in report.errors]
    assert report.kind == kind
    assert report.periods == ["2026-10"]
    assert report.signed_on == date(2026, 11, 5)
    if kind == "ocop_vietgap":
        assert len(report.register) == 2
        return
    got: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for o in report.observations:
        got[o.indicator][0] += o.value
        got[o.indicator][1] += o.denominator or 0.0
    for ind, (n, d) in sums.items():
        assert got[ind][0] == pytest.approx(n), ind
        if catalogue.indicator(ind).kind == "ratio":
            assert got[ind][1] == pytest.approx(d), ind
