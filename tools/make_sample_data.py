"""Write sample_data/: the units' monthly workbooks for T1-T10/2026, their ground truth and the blank templates.

usage: .venv/bin/python tools/make_sample_data.py [--out sample_data]   (rewrites the folder from scratch)
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (str(ROOT), str(ROOT / "tools")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import sample_figures as sf
import sample_sheets as ss
from openpyxl import Workbook
from sample_figures import MONTHS, TableRow, den, num
from sample_sheets import Col, Heading, Look

from ground.catalogue import Catalogue, load_catalogue
from intake.templates import DEC_FORMAT, new_workbook, template_bytes, template_names, workbook_bytes

TEMPLATE_DIR = "mau-bieu"
# Month spellings used in turn by a unit's monthly reports (shifted per unit, so each month mixes them).
MONTH_STYLES = ("nam", "slash", "ky", "dash", "nam", "ky")


@dataclass
class Output:
    """One file of the sample and the reports it holds."""

    name: str
    data: bytes
    reports: list[dict] = field(default_factory=list)


class Builder:
    """Builds every sample file from the figures; each method returns the files of one report kind."""

    def __init__(self, catalogue: Catalogue, fig: sf.Figures):
        self.cat = catalogue
        self.fig = fig

    # ------------------------------------------------------------ shared bits

    def heading(self, unit: str, kind: str, title: str, m: int) -> Heading:
        return Heading(
            committee=self.cat.commune.people_committee,
            unit=unit,
            unit_name=self.cat.unit(unit).name,
            kind=kind,
            title=title,
            m=m,
            signed=sf.signed_on(unit, kind, m),
            staff=ss.STAFF[unit],
        )

    @staticmethod
    def report(h: Heading, file: str, sheets: list[str]) -> dict:
        return {
            "unit": h.unit,
            "kind": h.kind,
            "period": sf.period(h.m),
            "signed_on": h.signed.isoformat(),
            "file": file,
            "sheets": sheets,
        }

    def single(self, name: str, h: Heading, draw: Callable, *, sheet: str = "", macro: bool = False) -> Output:
        wb = new_workbook(h.staff[0])
        ws = wb.active
        ws.title = sheet or _sheet_name(h)
        draw(ws)
        return Output(name, workbook_bytes(wb, macro_enabled=macro), [self.report(h, name, [ws.title])])

    def transposed(self, name: str, unit: str, title: str, m: int, look: Look, items: list) -> Output:
        """A one-sheet report whose rows are the items (STT, item, unit of measure, figure)."""
        h = self.heading(unit, "bang_thang", title, m)
        return self.single(name, h, lambda ws: ss.transposed(ws, h, look, items))

    # ------------------------------------------------------------ the four named kinds

    def trees(self) -> list[Output]:
        unit, kind = "phong-kinh-te", "trong_cay"
        title = "BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH PHÂN TÁN"
        fig = self.fig
        plan = {
            1: ("BC trong cay T1.2026.xlsx", "wide", Look(month="nam", totals="formula", numbers_row=True), {}),
            2: ("BC trong cay T2.2026.xlsx", "wide", Look(month="nam", text_numbers=True, addressee=True), {}),
            3: (
                "BC trong cay T3.2026.xlsx",
                "wide",
                Look(month="ky", sections=True, subtotals=True, doc_number="Số: 18/BC-KT"),
                {},
            ),
            4: ("Nhat ky trong cay thang 4-2026.xlsx", "log", Look(month="slash"), {"dates": "real"}),
            5: ("Báo cáo trồng cây tháng 5.2026.xlsx", "wide", Look(month="dash", odd_names=True, gap=True), {}),
            6: (
                "Nhat ky trong cay T6-2026.xlsx",
                "log",
                Look(month="nam", odd_names=True, totals="formula"),
                {"dates": "text"},
            ),
            10: ("BC trong cay T10.2026.xlsx", "wide", Look(month="nam", numbers_row=True, totals="top"), {}),
        }
        out = []
        for m, (name, form, look, opts) in plan.items():
            h = self.heading(unit, kind, title, m)
            draw = ss.tree_wide if form == "wide" else ss.tree_log
            out.append(self.single(name, h, lambda ws, h=h, look=look, o=opts, d=draw: d(ws, fig, h, look, **o)))
        # One workbook for the third quarter, one sheet per month and the hidden blank form.
        name = "Trong cay xanh quy III.2026.xlsx"
        wb = new_workbook(ss.STAFF[unit][0])
        reports = []
        quarter = {
            7: ("wide", Look(month="sheet", numbers_row=True), {}),
            8: ("log", Look(month="sheet", gap=True), {"dates": "mixed"}),
            9: ("log", Look(month="sheet", text_numbers=True, odd_names=True), {"dates": "text"}),
        }
        for i, (m, (form, look, opts)) in enumerate(quarter.items()):
            ws = wb.active if i == 0 else wb.create_sheet()
            ws.title = f"T{m}"
            h = self.heading(unit, kind, title, m)
            (ss.tree_wide if form == "wide" else ss.tree_log)(ws, fig, h, look, **opts)
            reports.append(self.report(h, name, [ws.title]))
        ss.blank_form(wb.create_sheet("Mẫu"), self.heading(unit, kind, title, 9))
        out.append(Output(name, workbook_bytes(wb), reports))
        return sorted(out, key=lambda o: o.reports[0]["period"])

    def procedures(self) -> list[Output]:
        unit, kind = "ttpvhcc", "thu_tuc_hanh_chinh"
        title = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
        out = []
        for m in MONTHS:
            h = self.heading(unit, kind, title, m)
            look = Look(
                month=_style(m, 2),
                numbers_row=True,
                totals="top" if m >= 8 else ("formula" if m == 5 else "value"),
                text_numbers=m == 3,
                doc_number=f"Số: {m + 40}/BC-TTPVHCC",
            )
            rate = "text" if m <= 3 else ("share" if m <= 7 else "number")
            ext = "xlsm" if m == 6 else "xlsx"
            out.append(
                self.single(
                    f"TTHC_thang{m}_2026.{ext}",
                    h,
                    lambda ws, h=h, look=look, rate=rate, m=m: ss.procedures(
                        ws, self.fig, h, look, rate=rate, resolved_total=4 <= m <= 6
                    ),
                    macro=ext == "xlsm",
                )
            )
        return out

    def register(self) -> list[Output]:
        unit, kind = "phong-kinh-te", "ocop_vietgap"
        title = "DANH SÁCH SẢN PHẨM OCOP, CƠ SỞ SẢN XUẤT ĐƯỢC CHỨNG NHẬN VIETGAP, HỮU CƠ"
        out = []
        for m in MONTHS:
            h = self.heading(unit, kind, title, m)
            look = Look(sections=m >= 6, text_numbers=m % 4 == 0, odd_names=m in (3, 9), numbers_row=m % 2 == 0)
            end = sf.month_end(m)
            name = f"Danh sach OCOP-VietGAP den {end.day}.{m:02d}.2026.xlsx"
            out.append(
                self.single(
                    name,
                    h,
                    lambda ws, h=h, look=look, m=m: ss.register(ws, self.fig, h, look, text_dates=m % 2 == 1),
                    sheet="Danh sách",
                )
            )
        return out

    def cashless(self) -> list[Output]:
        unit, kind = "van-phong", "khong_tien_mat"
        title = "BÁO CÁO KẾT QUẢ THỰC HIỆN THANH TOÁN KHÔNG DÙNG TIỀN MẶT"
        out = []
        for m in MONTHS:
            h = self.heading(unit, kind, title, m)
            look = Look(
                month=_style(m, 4),
                variant=m,
                gap=m == 4,
                totals="formula" if m in (2, 8) else "value",
                totals_merged=m % 2 == 1,
                numbers_row=m >= 7,
            )
            out.append(
                self.single(
                    f"TTKDTM T{m}-2026.xlsx",
                    h,
                    lambda ws, h=h, look=look, m=m: ss.cashless(
                        ws, self.fig, h, look, money_text=m in (3, 6, 9), rate_text=m % 2 == 0
                    ),
                )
            )
        return out

    # ------------------------------------------------------------ the units' monthly tables

    def table(
        self,
        unit: str,
        title: str,
        file: Callable[[int], str],
        label: str,
        layout,
        widths,
        look_of: Callable[[int], Look],
        **extra,
    ) -> list[Output]:
        out = []
        for m, tables in self.fig.tables[unit].items():
            h = self.heading(unit, "bang_thang", title, m)
            look = look_of(m)
            basis = next(iter(tables))
            cols = layout(m) if callable(layout) else layout
            sizes = widths(m) if callable(widths) else widths
            draw = lambda ws, h=h, look=look, rows=tables[basis], cols=cols, sizes=sizes: ss.monthly_table(  # noqa: E731
                ws, rows, h, look, label=label, layout=cols, widths=sizes, catalogue=self.cat, **extra
            )
            out.append(self.single(file(m), h, draw, sheet=_sheet_name(h) if look.month == "sheet" else ""))
        return out

    def meetings(self) -> list[Output]:
        topics = ("Phân loại rác tại nguồn", "Hạn chế túi ni lông, đồ nhựa dùng một lần", "Quán triệt NQ 08-NQ/TU")
        layout = [
            (
                "",
                [
                    Col(
                        ("Số hội nghị, buổi tuyên truyền", "Số buổi tuyên truyền", "So hoi nghi, buoi tuyen truyen"),
                        num("tt_hoi_nghi"),
                    )
                ],
            ),
            (
                "",
                [
                    Col(
                        ("Nội dung tuyên truyền chủ yếu",),
                        text=lambda tr, i: topics[i % 3] if tr.values[num("tt_hoi_nghi")] else "",
                    )
                ],
            ),
            ("", [Col(("Ghi chú",), text=lambda tr, i: "")]),
        ]
        return self.table(
            "phong-vhxh",
            "BÁO CÁO KẾT QUẢ CÔNG TÁC TUYÊN TRUYỀN VỀ CHUYỂN ĐỔI XANH",
            lambda m: f"BC tuyen truyen CDX T{m}.2026.xlsx",
            "Thôn",
            layout,
            [5, 22, 16, 34, 16],
            lambda m: Look(month=_style(m, 1), variant=m, totals="formula" if m % 3 == 0 else "value", gap=m == 7),
        )

    def news(self) -> list[Output]:
        unit = "ttdvsnc"
        title = "BÁO CÁO KẾT QUẢ THÔNG TIN, TUYÊN TRUYỀN VỀ CHUYỂN ĐỔI XANH"
        out = []
        for m, tables in self.fig.tables[unit].items():
            n = int(tables["xa"][0].values[num("tt_tin_bai")])
            radio = (n + 1) // 2
            web = (n - radio + 1) // 2
            head = ("Số tin, bài, phóng sự tuyên truyền", "Số tin, bài, phóng sự", "Tin, bài, phóng sự")[m % 3]
            ss.check_header(self.cat, num("tt_tin_bai"), head)
            items = [
                ("1", head, "tin, bài", n),
                ("", "- Trên Đài truyền thanh xã", "tin, bài", radio),
                ("", "- Trên Trang thông tin điện tử xã", "tin, bài", web),
                ("", "- Trên Zalo, Fanpage của xã", "tin, bài", n - radio - web),
                ("2", "Thời lượng phát thanh về chuyển đổi xanh", "giờ", round(1.5 + 0.5 * n, 1)),
                ("3", "Số pa-nô, áp phích, khẩu hiệu mới", "cái", 2 + m % 3),
            ]
            look = Look(month="range" if m == 5 else _style(m, 3), numbers_row=m % 2 == 0)
            out.append(self.transposed(f"Tin bai CDX thang {m}.2026.xlsx", unit, title, m, look, items))
        return out

    def waste(self) -> list[Output]:
        pkt_sort = [
            Col(("Tổng số hộ", "TS hộ", "Tong so ho"), den("rac_phan_loai")),
            Col(
                ("Số hộ phân loại CTRSH tại nguồn", "Số hộ phân loại rác tại nguồn", "So ho phan loai rac"),
                num("rac_phan_loai"),
            ),
            Col(("Tỷ lệ (%)",), rate_of=(num("rac_phan_loai"), den("rac_phan_loai")), fmt="0.0"),
        ]
        pkt_collect = [
            Col(
                ("Khối lượng CTRSH phát sinh (tấn)", "Khối lượng phát sinh (tấn)", "CTRSH phát sinh (tấn)"),
                den("rac_thu_gom"),
                fmt=DEC_FORMAT,
            ),
            Col(
                (
                    "Khối lượng CTRSH được thu gom, xử lý (tấn)",
                    "Khối lượng được thu gom (tấn)",
                    "CTRSH được thu gom, xử lý (tấn)",
                ),
                num("rac_thu_gom"),
                fmt=DEC_FORMAT,
            ),
        ]
        layout = [
            ("Phân loại chất thải rắn sinh hoạt tại nguồn", pkt_sort),
            ("Thu gom, xử lý CTRSH", pkt_collect),
            (
                "",
                [
                    Col(
                        ("Số mô hình điểm đang hoạt động", "Số mô hình điểm", "Mô hình điểm đang hoạt động"),
                        num("mo_hinh_diem"),
                    )
                ],
            ),
            ("", [Col(("Ghi chú",), text=lambda tr, i: "Thôn chậm triển khai" if tr.village in sf.LAGGING else "")]),
        ]
        return self.table(
            "phong-kinh-te",
            "BÁO CÁO KẾT QUẢ THU GOM, PHÂN LOẠI CHẤT THẢI RẮN SINH HOẠT VÀ MÔ HÌNH ĐIỂM",
            lambda m: f"BC rac thai - mo hinh diem T{m}.2026.xlsx",
            "Thôn",
            layout,
            [5, 22, 11, 14, 9, 14, 16, 13, 20],
            lambda m: Look(
                month=_style(m, 5),
                variant=m,
                numbers_row=True,
                sections=m % 3 == 0,
                subtotals=m in (3, 9),
                text_numbers=m in (2, 7, 10),
                doc_number=f"Số: {m + 60}/BC-KT",
            ),
        )

    def green_areas(self) -> list[Output]:
        spellings = (
            "Số khu dân cư đạt xanh - sạch - đẹp",
            "So khu dan cu dat xanh - sach - dep",
            "Khu dân cư đạt xanh sạch đẹp",
        )
        blank = (4, 8)  # months whose sheet has an empty column in the middle of the table

        def layout(m: int):
            cols = [("", [Col(spellings, num("khu_dan_cu_xanh"))])]
            if m in blank:
                cols.append(("", [Col(("",))]))
            return [*cols, ("", [Col(("Ghi chú",), text=_green_note)])]

        return self.table(
            "mttq",
            "BÁO CÁO KẾT QUẢ XÂY DỰNG KHU DÂN CƯ XANH - SẠCH - ĐẸP",
            lambda m: "BC_T10_2026.xlsx" if m == 10 else f"MTTQ khu dan cu xanh T{m}-2026.xlsx",
            "Thôn",
            layout,
            lambda m: [5, 22, 18, 4, 30] if m in blank else [5, 22, 18, 30],
            lambda m: Look(month="file" if m == 10 else _style(m, 0), variant=m, totals="value" if m % 2 else "none"),
        )

    def health(self) -> list[Output]:
        unit = "tram-y-te"
        title = "BÁO CÁO CÔNG TÁC Y TẾ - MÔI TRƯỜNG"
        water = [
            Col(("Tổng số hộ", "TS hộ", "Tổng số hộ gia đình"), den("nuoc_sach")),
            Col(
                ("Số hộ sử dụng nước sạch đạt quy chuẩn", "Số hộ dùng nước sạch", "Hộ sử dụng nước sạch"),
                num("nuoc_sach"),
            ),
            Col(("Tỷ lệ (%)",), rate_of=(num("nuoc_sach"), den("nuoc_sach")), fmt="0.0"),
        ]
        records = [
            Col(("Dân số (người)", "Số nhân khẩu", "Dân số"), den("ho_so_suc_khoe")),
            Col(
                ("Số người có HSSK điện tử", "Số người có hồ sơ sức khỏe điện tử", "So nguoi co HSSK dien tu"),
                num("ho_so_suc_khoe"),
            ),
            Col(("Tỷ lệ (%)",), rate_of=(num("ho_so_suc_khoe"), den("ho_so_suc_khoe")), fmt="0.0"),
        ]
        waste = [
            (
                "",
                [
                    Col(
                        ("Khối lượng chất thải y tế phát sinh (kg)", "Khối lượng CTYT phát sinh (kg)"),
                        den("chat_thai_y_te"),
                        fmt=DEC_FORMAT,
                    )
                ],
            ),
            (
                "",
                [
                    Col(
                        (
                            "Khối lượng chất thải y tế được xử lý đúng quy định (kg)",
                            "Khối lượng CTYT được xử lý (kg)",
                        ),
                        num("chat_thai_y_te"),
                        fmt=DEC_FORMAT,
                    )
                ],
            ),
            ("", [Col(("Ghi chú",), text=lambda tr, i: "Hợp đồng thu gom với đơn vị có chức năng" if i == 0 else "")]),
        ]
        out = []
        for m, tables in self.fig.tables[unit].items():
            h = self.heading(unit, "bang_thang", title, m)
            look = Look(
                month=_style(m, 1), variant=m, numbers_row=m % 2 == 1, nfd=m == 7, gap=m == 9, text_numbers=m == 5
            )
            wb = new_workbook(h.staff[0])
            ws = wb.active
            ws.title = "Nuoc sach - HSSK"
            ss.monthly_table(
                ws,
                tables["thon"],
                h,
                look,
                label="Thôn",
                layout=[
                    ("Nước sạch", water),
                    ("Hồ sơ sức khỏe điện tử", records),
                    ("", [Col(("Ghi chú",), text=_no_text)]),
                ],
                widths=[5, 22, 11, 15, 9, 12, 15, 9, 14],
                catalogue=self.cat,
            )
            ws2 = wb.create_sheet("CTYT")
            sub = replace(h, title="KHỐI LƯỢNG CHẤT THẢI Y TẾ ĐƯỢC THU GOM, XỬ LÝ")
            ss.monthly_table(
                ws2,
                tables["co_so"],
                sub,
                replace(look, nfd=False, gap=False, totals="formula" if m % 2 else "value"),
                label="Cơ sở y tế",
                layout=waste,
                widths=[5, 38, 18, 22, 30],
                heading=False,
                catalogue=self.cat,
            )
            name = f"Tram Y te BC thang {m}.2026.xlsx"
            out.append(Output(name, workbook_bytes(wb), [self.report(h, name, [ws.title, ws2.title])]))
        return out

    def schools(self) -> list[Output]:
        layout = [
            ("", [Col(("Tổng số học sinh", "TS học sinh", "Số học sinh"), den("so_lien_lac_dt"))]),
            (
                "",
                [
                    Col(
                        (
                            "Số học sinh dùng sổ liên lạc điện tử",
                            "Số học sinh sử dụng sổ liên lạc điện tử",
                            "Học sinh dùng sổ liên lạc điện tử",
                        ),
                        num("so_lien_lac_dt"),
                    )
                ],
            ),
            ("", [Col(("Tỷ lệ (%)",), rate_of=(num("so_lien_lac_dt"), den("so_lien_lac_dt")), fmt="0.0")]),
            (
                "",
                [
                    Col(
                        (
                            "Đạt trường học xanh - sạch - đẹp - an toàn",
                            "Trường đạt xanh sạch đẹp an toàn",
                            "Trường học xanh - sạch - đẹp - an toàn",
                        ),
                        num("truong_xanh"),
                    )
                ],
            ),
            (
                "",
                [Col(("Ghi chú",), text=lambda tr, i: "Đạt từ tháng 6/2026" if tr.values[num("truong_xanh")] else "")],
            ),
        ]
        return self.table(
            "truong-hoc",
            "BÁO CÁO KẾT QUẢ THỰC HIỆN CHUYỂN ĐỔI XANH TRONG CÁC TRƯỜNG HỌC",
            lambda m: f"Truong hoc - BC thang {m}.2026.xlsx",
            "Tên trường",
            layout,
            [5, 30, 13, 17, 9, 20, 22],
            lambda m: Look(
                month=_style(m, 2),
                variant=m,
                sections=m % 2 == 0,
                totals="formula" if m in (3, 9) else "value",
                totals_merged=True,
            ),
            section=_school_level,
        )

    def police(self) -> list[Output]:
        unit = "cong-an"
        title = "BÁO CÁO KẾT QUẢ XỬ LÝ VI PHẠM PHÁP LUẬT VỀ MÔI TRƯỜNG VÀ ĐĂNG KÝ XE ĐIỆN"
        out = []
        for m, tables in self.fig.tables[unit].items():
            v = tables["xa"][0].values
            cars = 1 if m % 4 == 0 else 0
            ev = int(v[num("xe_dien_moi")])
            cases = int(v[num("vi_pham_moi_truong")])
            heads = (
                ("Số xe điện đăng ký mới", "Số vụ vi phạm pháp luật về môi trường được xử lý"),
                ("Xe điện đăng ký mới", "Số vụ vi phạm BVMT"),
            )[m % 2]
            ss.check_header(self.cat, num("xe_dien_moi"), heads[0])
            ss.check_header(self.cat, num("vi_pham_moi_truong"), heads[1])
            items = [
                ("1", heads[0], "xe", ev),
                ("", "- Xe máy điện", "xe", ev - cars),
                ("", "- Ô tô điện", "xe", cars),
                ("2", heads[1], "vụ", cases),
                ("3", "Số tiền xử phạt vi phạm hành chính", "đồng", ss.vn_number(cases * 2_500_000) if cases else 0),
            ]
            look = Look(month=_style(m, 3), numbers_row=True, doc_number=f"Số: {m + 100}/BC-CAX")
            out.append(self.transposed(f"CA xa BC thang {m}-2026.xlsx", unit, title, m, look, items))
        return out

    def burning(self) -> list[Output]:
        layout = [
            (
                "",
                [
                    Col(
                        ("Số vụ đốt rác thải, rơm rạ tùy tiện", "Số vụ đốt rác", "Đốt rác thải, rơm rạ"),
                        num("dot_rac_tuy_tien"),
                    )
                ],
            ),
            (
                "",
                [
                    Col(
                        ("Hình thức xử lý",),
                        text=lambda tr, i: "Nhắc nhở" if tr.values[num("dot_rac_tuy_tien")] else "",
                    )
                ],
            ),
        ]
        out = self.table(
            "thon",
            "TỔNG HỢP SỐ VỤ ĐỐT RÁC THẢI, RƠM RẠ TÙY TIỆN TẠI CÁC THÔN",
            lambda m: f"Tong hop dot rom ra T{m}-2026.xlsx",
            "Thôn",
            layout,
            [5, 24, 20, 20],
            lambda m: Look(month=_style(m, 4), variant=m, odd_names=True, nfd=m == 4, gap=m == 2),
        )
        # January's sheet still comes on the old Excel 2003 template.
        wb = Workbook()
        ws = wb.active
        ws.title = "T1"
        h = self.heading("thon", "bang_thang", "TỔNG HỢP SỐ VỤ ĐỐT RÁC THẢI, RƠM RẠ TÙY TIỆN TẠI CÁC THÔN", 1)
        ss.monthly_table(
            ws,
            self.fig.tables["thon"][1]["thon"],
            h,
            Look(month="nam", odd_names=True),
            label="Thôn",
            layout=layout,
            widths=[5, 24, 20, 20],
            catalogue=self.cat,
        )
        name = "Tong hop dot rom ra T1-2026.xls"
        out[0] = Output(name, ss.xls_bytes(ws), [self.report(h, name, [ws.title])])
        return out

    def volunteers(self) -> list[Output]:
        unit = "quan-su"
        title = "BÁO CÁO KẾT QUẢ RA QUÂN VỆ SINH MÔI TRƯỜNG, TRỒNG CÂY XANH"
        layout = [
            (
                "",
                [
                    Col(
                        ("Số lượt người tham gia ra quân", "Lượt người ra quân", "Số lượt người tham gia"),
                        num("luot_ra_quan"),
                    )
                ],
            ),
            ("", [Col(("Số đợt ra quân",), text=_rounds)]),
            ("", [Col(("Ghi chú",), text=_no_text)]),
        ]
        quarters = {"I": (1, 2, 3), "II": (4, 5, 6), "III": (7, 8, 9)}
        out = []
        for q, months in quarters.items():
            name = f"BCHQS ra quan quy {q}-2026.xlsx"
            wb = new_workbook(ss.STAFF[unit][0])
            reports = []
            for i, m in enumerate(months):
                ws = wb.active if i == 0 else wb.create_sheet()
                ws.title = f"T{m}" if q != "II" else f"Thang {m}"
                h = self.heading(unit, "bang_thang", title, m)
                rows = self.fig.tables[unit][m]["thon"]
                ss.monthly_table(
                    ws,
                    rows,
                    h,
                    Look(month="sheet", variant=m, totals="formula" if q == "I" else "value"),
                    label="Thôn",
                    layout=layout,
                    widths=[5, 22, 18, 12, 20],
                    catalogue=self.cat,
                )
                reports.append(self.report(h, name, [ws.title]))
            out.append(Output(name, workbook_bytes(wb), reports))
        h = self.heading(unit, "bang_thang", title, 10)
        rows = self.fig.tables[unit][10]["thon"]
        draw = lambda ws: ss.monthly_table(  # noqa: E731
            ws,
            rows,
            h,
            Look(month="nam", variant=1, numbers_row=True),
            label="Thôn",
            layout=layout,
            widths=[5, 22, 18, 12, 20],
            catalogue=self.cat,
        )
        out.append(self.single("BCHQS ra quan T10-2026.xlsx", h, draw))
        return out

    def all(self) -> list[Output]:
        parts = (
            self.trees,
            self.procedures,
            self.register,
            self.cashless,
            self.meetings,
            self.news,
            self.waste,
            self.green_areas,
            self.health,
            self.schools,
            self.police,
            self.burning,
            self.volunteers,
        )
        return [o for part in parts for o in part()]


def _style(m: int, shift: int) -> str:
    return MONTH_STYLES[(m + shift) % len(MONTH_STYLES)]


def _sheet_name(h: Heading) -> str:
    return f"T{h.m}"


def _no_text(tr: TableRow, i: int) -> str:
    return ""


def _green_note(tr: TableRow, i: int) -> str:
    start = {"an-phu-dong": 1, "yen-my": 3, "thanh-lieu": 7}.get(tr.village or "")
    return f"Công nhận tháng {start}/2026" if start and tr.values[num("khu_dan_cu_xanh")] else ""


def _school_level(tr: TableRow) -> str:
    for key, section in (("Mầm non", "MẦM NON"), ("Tiểu học", "TIỂU HỌC"), ("THCS", "TRUNG HỌC CƠ SỞ")):
        if key in tr.label:
            return section
    return ""


def _rounds(tr: TableRow, i: int) -> int:
    """Campaign rounds in the month: two where many turned out."""
    return 2 if tr.values[num("luot_ra_quan")] > 30 else 1


# ---------------------------------------------------------------- writing it all


def expected_document(catalogue: Catalogue, fig: sf.Figures, outputs: list[Output]) -> dict:
    rows, breakdowns = sf.expected_rows(fig, catalogue)
    reports = sorted((r for o in outputs for r in o.reports), key=lambda r: (r["unit"], r["kind"], r["period"]))
    return {
        "about": (
            "Ground truth of sample_data/, computed by tools/make_sample_data.py from its own figures "
            "(never by reading the files back). numerator = the counted quantity (flow, stock) or the "
            "numerator of a ratio; denominator only for ratios. village null = the whole commune. "
            "Village rows: every village for tables listing all villages (0 where nothing happened); "
            "register stocks only for villages with a listed item. numerator null = the report never came."
        ),
        "seed": sf.SEED,
        "periods": [sf.period(m) for m in MONTHS],
        "observations": rows,
        "breakdowns": breakdowns,
        "register": [
            {
                "name": e.name,
                "owner": e.owner,
                "village": e.village,
                "certificate": e.certificate,
                "stars": e.stars,
                "decision": e.decision,
                "issued": e.issued.isoformat(),
                "expires": e.expiry.isoformat(),
                "expiry_derived": e.written_expiry is None,
                "area_ha": e.area_ha,
            }
            for e in fig.register
        ],
        "reports": reports,
        "missing_reports": [{"unit": u, "kind": k, "period": sf.period(m)} for u, k, m in sorted(sf.MISSING)],
    }


def _json(doc: dict) -> str:
    """Readable JSON with one record per line, so a diff shows which figure changed."""
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            body = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f'  "{key}": [\n{body}\n  ]')
        else:
            parts.append(f'  "{key}": {json.dumps(value, ensure_ascii=False)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def generate(out_dir: Path, catalogue: Catalogue | None = None) -> list[Output]:
    """Rewrite out_dir from scratch: workbooks, expected.json and the templates in mau-bieu/."""
    catalogue = catalogue or load_catalogue()
    fig = sf.figures(catalogue)
    outputs = Builder(catalogue, fig).all()
    names = [o.name for o in outputs]
    if len(set(names)) != len(names):
        raise RuntimeError("two sample files share a name")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / TEMPLATE_DIR).mkdir(parents=True)
    for o in outputs:
        (out_dir / o.name).write_bytes(o.data)
    (out_dir / "expected.json").write_text(_json(expected_document(catalogue, fig, outputs)), encoding="utf-8")
    for kind, unit, file_name, _label in template_names(catalogue):
        (out_dir / TEMPLATE_DIR / file_name).write_bytes(template_bytes(kind, catalogue, unit))
    return outputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Tạo lại thư mục dữ liệu mẫu (sample_data/).")
    parser.add_argument("--out", type=Path, default=ROOT / "sample_data", help="thư mục ghi ra (bị xóa và tạo lại)")
    parser.add_argument("--catalogue", type=Path, default=None, help="tệp danh mục (mặc định catalogue.toml)")
    args = parser.parse_args(argv)
    outputs = generate(args.out, load_catalogue(args.catalogue) if args.catalogue else None)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    reports = sum(len(o.reports) for o in outputs)
    mb = f"{size / 1e6:.2f}".replace(".", ",")
    print(f"Đã ghi {len(outputs)} tệp ({reports} báo cáo) và các mẫu biểu vào {args.out}: {mb} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
