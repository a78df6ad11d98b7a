"""Write the office-program fixtures of tests/office_files/ (run once by hand; the files are committed).

The originals are built in code (tests/workbooks.py) as the units keep their sheets; each is then re-saved once by
LibreOffice Calc (`soffice --headless --convert-to`) and by Gnumeric (`ssconvert`), the two suites that run here, so
the tests read what those programs really write. `.xlsb` is written by hand: only Excel writes it.

    python tests/office_files/make.py          # needs soffice (libreoffice-calc-nogui) and ssconvert (gnumeric)
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from loaders.legacy import TCVN3, VNI  # noqa: E402
from tests.workbooks import Fmt, SheetSpec, report_sheet, typed_in, xlsb, xlsx  # noqa: E402

TREES_HEADER = [
    ["STT", "Thôn", "Tổng số\n(cây)", "Địa điểm trồng", "", "", "", "Loại cây", "Ghi chú"],
    ["", "", "", "Khu công cộng", "Trường học", "Nhà văn hóa", "Tuyến đường", "", ""],
]
TREES_MERGES = ["A1:A2", "B1:B2", "C1:C2", "D1:G1", "H1:H2", "I1:I2"]
TREES_NUMBERS = ["(1)", "(2)", "(3)=(4)+(5)+(6)+(7)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"]
TREES_ROWS = [
    ["I", "Cụm Bắc"],
    [1, "Thôn An Lạc", 35, 10, 20, 0, 5, "Sao đen", ""],
    [2, "Thôn Đông Hà", "1.253", "1.250", 0, 3, 0, "Bàng", "trồng bổ sung"],
    ["II", "Cụm Nam"],
    [3, "thon dong lu", 4, 1, 1, 1, 1, "", ""],
    [4, "Bình Hà", "", "", "", "", "", "", ""],
    ["", "Tổng cộng", 1292, 1261, 21, 4, 6, "", ""],
]

PROCEDURES_HEADER = [
    ["STT", "Lĩnh vực", "Tổng số hồ sơ tiếp nhận", "Trong đó", "", "Trực tuyến toàn trình", "Số hồ sơ đã giải quyết",
     "", "Tỷ lệ trực tuyến (%)"],
    ["", "", "", "Trực tuyến", "Trực tiếp, bưu chính", "", "Đúng hạn", "Quá hạn", ""],
]  # fmt: skip
PROCEDURES_MERGES = ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "G1:H1", "I1:I2"]
PROCEDURES_NUMBERS = ["A", "B", "1=2+3", "2", "3", "4", "5", "6", "7=2/1x100"]
PROCEDURES_ROWS = [
    [1, "Hộ tịch", 100, 80, 20, 50, 90, 5, "80%"],
    [2, "Chứng thực", "1.200", 600, 600, 100, 1000, 0, 50],
    ["", "Tổng cộng", 1300, 680, 620, 150, 1090, 5, ""],
]

REGISTER_HEADER = [["STT", "Tên sản phẩm", "Chủ thể", "Thôn", "Loại chứng nhận", "Hạng sao", "Số quyết định",
                    "Ngày cấp", "Diện tích (ha)"]]  # fmt: skip
REGISTER_ROWS = [
    ["I", "Sản phẩm OCOP"],
    [1, "Bánh đa Kinh Thầy", "HTX Nông nghiệp Kinh Thầy", "Kinh Thầy", "OCOP", "4 sao", "12/QĐ-UBND", "01/03/2025", ""],
    [2, "Mật ong hoa nhãn", "Hộ bà Nguyễn Thị Ba", "Lai Vu", "OCOP", "3 sao", "45/QĐ-UBND", "15/06/2026", ""],
    ["II", "VietGAP"],
    [3, "Rau cải ngọt", "HTX Yên Mỹ", "Thôn Yên Mỹ", "VietGAP", "", "VG-01", "05/09/2025", "2,5"],
]


def trees() -> SheetSpec:
    return report_sheet(TREES_HEADER, TREES_ROWS, header_merges=TREES_MERGES, numbers_row=TREES_NUMBERS,
                        title="BÁO CÁO KẾT QUẢ TRỒNG CÂY XANH", period="Tháng 10 năm 2026")  # fmt: skip


def procedures() -> SheetSpec:
    """The month only as a date cell beside "Kỳ báo cáo:" (a typed "10/2026", shown 10/2026)."""
    spec = report_sheet(PROCEDURES_HEADER, PROCEDURES_ROWS, header_merges=PROCEDURES_MERGES,
                        numbers_row=PROCEDURES_NUMBERS, unit="TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                        title="BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT TTHC", period=None)  # fmt: skip
    spec.rows.insert(5, ["Kỳ báo cáo:", Fmt(dt.datetime(2026, 10, 1), "mm/yyyy")])
    spec.merges = [m if not m[1:].split(":")[0].isdigit() or int(m[1:].split(":")[0]) < 6 else _down(m) for m in
                   spec.merges]  # fmt: skip
    spec.first_data_row += 1
    return spec


def _down(merge: str) -> str:
    """A merged range one row lower ("A8:A9" → "A9:A10")."""
    from openpyxl.utils import get_column_letter, range_boundaries

    c1, r1, c2, r2 = range_boundaries(merge)
    return f"{get_column_letter(c1)}{r1 + 1}:{get_column_letter(c2)}{r2 + 1}"


def register() -> SheetSpec:
    return report_sheet(REGISTER_HEADER, REGISTER_ROWS, title="DANH SÁCH SẢN PHẨM OCOP, CƠ SỞ ĐƯỢC CHỨNG NHẬN VIETGAP",
                        period="(Cập nhật đến ngày 31/10/2026)")  # fmt: skip


ORIGINALS = {
    "cay-xanh-T10": ("T10", trees),
    "tthc-ky-bao-cao-o-ngay": ("TTHC", procedures),
    "cay-xanh-tcvn3": ("T10", lambda: typed_in(trees(), TCVN3, fonts=True)),
    "ocop-vni": ("Danh sách", lambda: typed_in(register(), VNI, fonts=True)),
}
LIBREOFFICE = {"xls": "xls:MS Excel 97", "ods": "ods", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
GNUMERIC = {"xls": "Gnumeric_Excel:excel_biff8", "ods": "Gnumeric_OpenCalc:odf", "xlsx": "Gnumeric_Excel:xlsx2"}


def main() -> None:
    for stem, (sheet, build) in ORIGINALS.items():
        original = HERE / f"{stem}.xlsx"
        original.write_bytes(xlsx({sheet: build()}))
        (HERE / f"{stem}.xlsb").write_bytes(xlsb({sheet: build()}))
        with tempfile.TemporaryDirectory() as tmp:
            for ext, target in LIBREOFFICE.items():
                subprocess.run(
                    ["soffice", "--headless", "--convert-to", target, "--outdir", tmp, str(original)],
                    check=True,
                    capture_output=True,
                    env={"HOME": tmp, "PATH": "/usr/bin:/bin"},
                )
                shutil.move(Path(tmp) / f"{stem}.{ext}", HERE / f"{stem}.libreoffice.{ext}")
        for ext, exporter in GNUMERIC.items():
            out = HERE / f"{stem}.gnumeric.{ext}"
            subprocess.run(["ssconvert", "-T", exporter, str(original), str(out)], check=True, capture_output=True)
        if stem == "cay-xanh-tcvn3":  # an Excel 95 file, as the old templates were: 8-bit text in its code page
            out = HERE / f"{stem}.gnumeric-excel95.xls"
            subprocess.run(["ssconvert", "-T", "Gnumeric_Excel:excel_biff7", str(original), str(out)], check=True,
                           capture_output=True)  # fmt: skip
        print(stem, "written")


if __name__ == "__main__":
    main()
