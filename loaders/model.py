"""What a loader returns: observations, register items and problems, all plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Report kinds, recognised from a sheet's headers (never from the file name).
KIND_NAMES = {
    "trong_cay": "Báo cáo trồng cây xanh",
    "thu_tuc_hanh_chinh": "Báo cáo giải quyết thủ tục hành chính",
    "ocop_vietgap": "Danh sách sản phẩm OCOP, chứng nhận VietGAP, hữu cơ",
    "khong_tien_mat": "Báo cáo thanh toán không dùng tiền mặt",
    "bang_thang": "Bảng số liệu tháng",
}


@dataclass(frozen=True)
class Problem:
    """Something wrong or worth saying about the file, with its place, in Vietnamese.

    `row` is the 1-based spreadsheet row and `column` the spreadsheet letter ("C"), as the
    user sees them in Excel; either is None when the problem is about the whole sheet/file.
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" refuses the file; "warning" is shown and the file is kept

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def place(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"trang '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Observation:
    """One figure read from one row: the unit of traceability.

    For a flow or stock indicator `value` is the counted quantity and `denominator` is None;
    for a ratio `value` is the numerator and `denominator` the denominator (both counts), so a
    share over many rows is Σ value / Σ denominator. `village` is a village code or None for a
    row that is not a village (a field of procedures, a collecting unit, the whole commune).
    `breakdown` is ("" , "") or (dimension, value): ("dia_diem", "truong-hoc"),
    ("hang_sao", "4"), ("linh_vuc", "Hộ tịch"), ("don_vi", "Trạm Y tế xã").
    """

    indicator: str
    period: str  # "YYYY-MM"
    value: float
    denominator: float | None = None
    village: str | None = None
    breakdown: tuple[str, str] = ("", "")
    sheet: str = ""
    row: int = 0


@dataclass(frozen=True)
class RegisterItem:
    """One certified product or producer of the OCOP / VietGAP / organic register."""

    name: str
    owner: str
    village: str | None
    certificate: str  # "OCOP" | "VietGAP" | "Hữu cơ"
    stars: int | None
    decision: str
    issued: date | None
    expires: date | None
    expiry_derived: bool
    area_ha: float | None
    sheet: str
    row: int


@dataclass
class Report:
    """Everything read from one workbook. The file may be stored only when `errors` is empty."""

    kind: str | None = None
    unit: str | None = None
    periods: list[str] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    register: list[RegisterItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # the sheets that were read as data
    title: str = ""  # the report's title as written ("BÁO CÁO KẾT QUẢ TRỒNG CÂY ...")
    # The place-and-date line ("An Phú, ngày 05 tháng 11 năm 2026"): when the unit signed it.
    # Never the period; used to tell on-time from late reports.
    signed_on: date | None = None
    # The same per month: a workbook with one sheet per month carries each sheet's own signing date.
    signed_by_period: dict[str, date] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.kind is not None and not self.errors

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind or "", "Không rõ loại báo cáo")

    @property
    def indicators(self) -> list[str]:
        return sorted({o.indicator for o in self.observations})
