"""The sample commune's figures for T1-T10/2026, drawn from one seed: what the sample workbooks say."""

from __future__ import annotations

import calendar
import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ground.catalogue import Catalogue
from intake.templates import TTHC_FIELDS

SEED = 20261105
YEAR = 2026
MONTHS = tuple(range(1, 11))

# Villages of the three former communes merged in 2025 (used for section rows).
FORMER_COMMUNES = {
    "KHU VỰC AN PHÚ (CŨ)": ("an-lac", "an-phu-dong", "an-phu-tay", "dong-ha", "dong-lu", "huu-loc", "kinh-thay"),
    "KHU VỰC AN BÌNH (CŨ)": ("binh-lao", "binh-ha", "lai-vu", "luong-dien", "mac-xa", "phu-xa", "quynh-khe"),
    "KHU VỰC CỘNG HÒA (CŨ)": ("cong-hoa", "tay-son", "thanh-lieu", "tran-xa", "van-tai", "yen-my"),
}
LAGGING = ("lai-vu", "quynh-khe")  # two villages clearly behind on almost everything
PEOPLE = 35121

SCHOOLS = (
    "Trường Mầm non An Phú",
    "Trường Mầm non An Bình",
    "Trường Tiểu học An Phú",
    "Trường Tiểu học An Bình",
    "Trường THCS An Phú",
    "Trường THCS An Bình",
)
FACILITIES = (
    "Trạm Y tế xã An Phú",
    "Phòng khám đa khoa tư nhân Hồng Phúc",
    "Các cơ sở y tế tư nhân khác (9 cơ sở)",
)
CASH_UNITS = (
    "Trung tâm Phục vụ hành chính công",
    "Trạm Y tế xã",
    "Trường Mầm non An Phú",
    "Trường Tiểu học An Phú",
    "Trường THCS An Phú",
    "Trường THCS An Bình",
    "Bưu điện văn hóa xã",
)
SPECIES = ("Sao đen", "Bằng lăng", "Phượng vĩ", "Lát hoa", "Hoa sữa", "Muồng hoàng yến", "Giáng hương", "Long não")
PLANTERS = ("Đoàn Thanh niên xã", "Hội Phụ nữ xã", "Hội Cựu chiến binh xã", "Ban CHQS xã", "Hội Nông dân xã")

# The report kinds each unit sends, and the one report that never arrived.
MISSING = {("cong-an", "bang_thang", 10)}


def period(month: int) -> str:
    return f"{YEAR}-{month:02d}"


def month_end(month: int, year: int = YEAR) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    people: int
    households: int
    effort: float  # how keen the village is: scales trees, sorting, events


@dataclass(frozen=True)
class TreeEvent:
    day: date
    village: str
    place: int  # index into PLACE_TYPES
    species: str
    count: int
    planter: str


@dataclass(frozen=True)
class FieldRow:
    """One field of administrative procedures in one month."""

    field: str
    received: int
    online: int
    full_online: int
    on_time: int
    late: int

    @property
    def direct(self) -> int:
        return self.received - self.online


@dataclass(frozen=True)
class CashRow:
    unit: str
    transactions: int
    cashless: int
    value: int
    cashless_value: int


@dataclass(frozen=True)
class RegisterEntry:
    name: str
    owner: str
    village: str
    certificate: str  # "OCOP" | "VietGAP" | "Hữu cơ"
    stars: int | None
    stars_text: str  # as the sheet writes it: "3 sao", "4★", "4", "***"
    decision: str
    issued: date
    written_expiry: date | None  # None: the sheet leaves it blank and the reader derives it
    area_ha: float | None

    @property
    def expiry(self) -> date:
        if self.written_expiry is not None:
            return self.written_expiry
        return add_months(self.issued, 36 if self.certificate == "OCOP" else 24)

    def listed_at(self, d: date) -> bool:
        return self.issued <= d

    def valid_at(self, d: date) -> bool:
        return self.issued <= d < self.expiry


@dataclass(frozen=True)
class TableRow:
    """A row of a unit's monthly table: a village, school or facility, or (transposed) the whole commune."""

    label: str
    village: str | None
    values: dict[str, float]  # "indicator.numerator" / "indicator.denominator" -> count


@dataclass
class Figures:
    villages: list[Village]
    trees: dict[int, list[TreeEvent]] = field(default_factory=dict)
    tthc: dict[int, list[FieldRow]] = field(default_factory=dict)
    cash: dict[int, list[CashRow]] = field(default_factory=dict)
    register: list[RegisterEntry] = field(default_factory=list)
    # unit -> month -> row basis ("thon", "truong", "co_so", "xa") -> rows
    tables: dict[str, dict[int, dict[str, list[TableRow]]]] = field(default_factory=dict)

    def village(self, code: str) -> Village:
        return next(v for v in self.villages if v.code == code)


def num(ind: str) -> str:
    return f"{ind}.numerator"


def den(ind: str) -> str:
    return f"{ind}.denominator"


# ---------------------------------------------------------------- drawing the figures


def figures(catalogue: Catalogue, seed: int = SEED) -> Figures:
    """Every figure of the sample, deterministic for a seed."""
    rng = random.Random(seed)
    fig = Figures(villages=_villages(catalogue, rng))
    fig.trees = {m: _trees(fig, m, rng) for m in MONTHS}
    fig.tthc = {m: _procedures(m, rng) for m in MONTHS}
    fig.cash = {m: _cashless(m, rng) for m in MONTHS}
    fig.register = _register()
    fig.tables = _tables(fig, rng)
    return fig


def _villages(catalogue: Catalogue, rng: random.Random) -> list[Village]:
    weights = [rng.uniform(0.6, 1.5) for _ in catalogue.villages]
    people = [round(PEOPLE * w / sum(weights)) for w in weights]
    people[-1] += PEOPLE - sum(people)
    out = []
    for v, p in zip(catalogue.villages, people, strict=True):
        effort = 0.35 if v.code in LAGGING else rng.uniform(0.8, 1.25)
        out.append(Village(v.code, v.name, p, round(p / rng.uniform(3.4, 3.9)), effort))
    return out


def _split(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to weights that add up to total (largest remainder)."""
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[: total - sum(out)]:
        out[i] += 1
    return out


# Trees per month: the spring planting festival after Tết (February) and the autumn campaign.
_TREE_MONTHS = {1: 320, 2: 2650, 3: 1480, 4: 690, 5: 380, 6: 260, 7: 240, 8: 360, 9: 880, 10: 1150}
_PLACE_WEIGHTS = (0.25, 0.2, 0.15, 0.4)


def _trees(fig: Figures, m: int, rng: random.Random) -> list[TreeEvent]:
    total = round(_TREE_MONTHS[m] * rng.uniform(0.95, 1.05))
    quiet = _TREE_MONTHS[m] < 400
    weights = [0.0 if quiet and rng.random() < 0.35 else v.effort * rng.uniform(0.5, 1.5) for v in fig.villages]
    events = []
    last = month_end(m).day
    first_day = 20 if m == 2 else 1  # Tết trồng cây starts after Tết (17/02/2026)
    for v, count in zip(fig.villages, _split(total, weights), strict=True):
        if count == 0:
            continue
        parts = 1 if count < 30 else rng.choice((1, 2, 2, 3))
        places = rng.sample(range(4), parts)
        for place, n in zip(places, _split(count, [_PLACE_WEIGHTS[p] + rng.random() for p in places]), strict=True):
            if n == 0:
                continue
            planter = f"Thôn {v.name.removeprefix('Thôn ')}"
            if place == 1:
                planter = rng.choice(SCHOOLS)
            elif rng.random() < 0.5:
                planter = rng.choice(PLANTERS)
            day = date(YEAR, m, rng.randint(first_day, last))
            species = ", ".join(sorted(rng.sample(SPECIES, rng.choice((1, 1, 2)))))
            events.append(TreeEvent(day, v.code, place, species, n, planter))
    events.sort(key=lambda e: (e.day, e.village, e.place))
    return events


# Procedures: (monthly volume, online share in January, online share in October).
_FIELDS = {
    "Hộ tịch": (180, 0.70, 0.77),
    "Chứng thực": (260, 0.42, 0.49),
    "Tư pháp": (24, 0.50, 0.57),
    "Đất đai": (90, 0.22, 0.28),
    "Xây dựng": (18, 0.35, 0.42),
    "Kinh doanh": (32, 0.60, 0.68),
    "Lao động - Thương binh và Xã hội": (46, 0.40, 0.47),
    "Nông nghiệp và Môi trường": (14, 0.30, 0.37),
}
assert tuple(_FIELDS) == TTHC_FIELDS


def _ramp(m: int, start: float, end: float) -> float:
    return start + (end - start) * (m - 1) / 9


def _procedures(m: int, rng: random.Random) -> list[FieldRow]:
    season = {1: 1.1, 2: 0.7, 3: 1.05}.get(m, 1.0)
    rows = []
    for name, (volume, s0, s1) in _FIELDS.items():
        received = max(3, round(volume * season * rng.uniform(0.85, 1.15)))
        online = min(received, round(received * (_ramp(m, s0, s1) + rng.uniform(-0.03, 0.03))))
        full = round(online * (_ramp(m, 0.55, 0.66) + rng.uniform(-0.04, 0.04)))
        resolved = round(received * rng.uniform(0.9, 1.0))
        late_rate = 0.06 if name == "Đất đai" else _ramp(m, 0.02, 0.008)
        late = sum(rng.random() < late_rate for _ in range(resolved))
        rows.append(FieldRow(name, received, online, full, resolved - late, late))
    return rows


# Cashless: (transactions a month, average value in đồng, cashless share in January, in October).
_CASH = {
    "Trung tâm Phục vụ hành chính công": (340, 55_000, 0.55, 0.76),
    "Trạm Y tế xã": (880, 125_000, 0.22, 0.44),
    "Trường Mầm non An Phú": (250, 650_000, 0.62, 0.86),
    "Trường Tiểu học An Phú": (410, 420_000, 0.58, 0.83),
    "Trường THCS An Phú": (360, 480_000, 0.55, 0.80),
    "Trường THCS An Bình": (300, 470_000, 0.45, 0.70),
    "Bưu điện văn hóa xã": (620, 340_000, 0.28, 0.48),
}
assert tuple(_CASH) == CASH_UNITS


def _cashless(m: int, rng: random.Random) -> list[CashRow]:
    rows = []
    for name, (volume, avg, s0, s1) in _CASH.items():
        school_break = name.startswith("Trường") and m in (6, 7)
        n = round(volume * (0.35 if school_break else 1.0) * rng.uniform(0.9, 1.1))
        share = _ramp(m, s0, s1) + rng.uniform(-0.03, 0.03)
        cashless = round(n * share)
        value = round(n * avg * rng.uniform(0.9, 1.1), -3)
        # Larger payments go cashless more often, so the share by value runs above the share by count.
        cashless_value = round(value * min(0.97, share + 0.08 + rng.uniform(0, 0.04)), -3)
        rows.append(CashRow(name, n, cashless, int(value), int(cashless_value)))
    return rows


_REGISTER = Path(__file__).with_name("sample_register.csv")  # the OCOP/VietGAP register: data, kept as data


def _register() -> list[RegisterEntry]:
    def day(text: str) -> date | None:
        return date.fromisoformat(text) if text else None

    with _REGISTER.open(encoding="utf-8", newline="") as f:
        return [
            RegisterEntry(
                r["name"],
                r["owner"],
                r["village"],
                r["certificate"],
                int(r["stars"]) if r["stars"] else None,
                r["stars_text"],
                r["decision"],
                date.fromisoformat(r["issued"]),
                day(r["written_expiry"]),
                float(r["area_ha"]) if r["area_ha"] else None,
            )
            for r in csv.DictReader(f)
        ]


def _tables(fig: Figures, rng: random.Random) -> dict[str, dict[int, dict[str, list[TableRow]]]]:
    out: dict[str, dict[int, dict[str, list[TableRow]]]] = {}
    builders = {
        "phong-vhxh": _meetings,
        "ttdvsnc": _news,
        "phong-kinh-te": _waste,
        "mttq": _green_areas,
        "tram-y-te": _health,
        "truong-hoc": _schools,
        "cong-an": _police,
        "thon": _burning,
        "quan-su": _volunteers,
    }
    for unit, build in builders.items():
        out[unit] = {m: build(fig, m, rng) for m in MONTHS if (unit, "bang_thang", m) not in MISSING}
    return out


def _village_rows(fig: Figures, values) -> dict[str, list[TableRow]]:
    return {"thon": [TableRow(v.name, v.code, values(v)) for v in fig.villages]}


_MEETING_RATE = {1: 0.02, 2: 0.02, 3: 0.04, 4: 0.11, 5: 0.08, 6: 0.05, 7: 0.04, 8: 0.04, 9: 0.06, 10: 0.07}


def _meetings(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    def values(v: Village) -> dict[str, float]:
        n = sum(rng.random() < _MEETING_RATE[m] * v.effort for _ in range(2))
        return {num("tt_hoi_nghi"): n}

    return _village_rows(fig, values)


_NEWS = {1: 3, 2: 2, 3: 4, 4: 7, 5: 6, 6: 5, 7: 4, 8: 5, 9: 6, 10: 7}


def _news(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    n = _NEWS[m] + rng.choice((-1, 0, 0, 1))
    return {"xa": [TableRow("Toàn xã", None, {num("tt_tin_bai"): n})]}


_MODELS = {"an-phu-dong": 1, "yen-my": 4, "thanh-lieu": 8}  # pilot models and the month each started
_GREEN_AREAS = {"an-phu-dong": 1, "yen-my": 3, "thanh-lieu": 7}  # residential areas recognised, from month


def _waste(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    days = month_end(m).day

    def values(v: Village) -> dict[str, float]:
        lag = v.code in LAGGING
        base = 0.05 if lag else 0.10 + 0.06 * v.effort
        slope = 0.003 if lag else 0.012 * v.effort
        sorting = round(v.households * min(0.95, base + slope * (m - 1) + rng.uniform(-0.01, 0.01)))
        generated = round(v.people * 0.55 * days / 1000 * rng.uniform(0.95, 1.05), 1)
        share = _ramp(m, 0.72, 0.77) if lag else _ramp(m, 0.85, 0.92) + rng.uniform(-0.02, 0.02)
        collected = round(generated * min(1.0, share), 1)
        return {
            den("rac_phan_loai"): v.households,
            num("rac_phan_loai"): sorting,
            den("rac_thu_gom"): generated,
            num("rac_thu_gom"): collected,
            num("mo_hinh_diem"): 1 if m >= _MODELS.get(v.code, 99) else 0,
        }

    return _village_rows(fig, values)


def _green_areas(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    return _village_rows(fig, lambda v: {num("khu_dan_cu_xanh"): 1 if m >= _GREEN_AREAS.get(v.code, 99) else 0})


def _health(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    def values(v: Village) -> dict[str, float]:
        lag = v.code in LAGGING
        water = _ramp(m, 0.84, 0.86) if lag else _ramp(m, 0.93, 0.965) + rng.uniform(-0.01, 0.01)
        records = _ramp(m, 0.44, 0.51) if lag else _ramp(m, 0.55, 0.69) + rng.uniform(-0.02, 0.02)
        return {
            den("nuoc_sach"): v.households,
            num("nuoc_sach"): min(v.households, round(v.households * water)),
            den("ho_so_suc_khoe"): v.people,
            num("ho_so_suc_khoe"): round(v.people * records),
        }

    facilities = []
    for i, name in enumerate(FACILITIES):
        generated = round((180, 90, 45)[i] * rng.uniform(0.9, 1.1), 1)
        share = 1.0 if i < 2 else _ramp(m, 0.85, 0.95)
        facilities.append(
            TableRow(
                name,
                None,
                {den("chat_thai_y_te"): generated, num("chat_thai_y_te"): round(generated * share, 1)},
            )
        )
    return {**_village_rows(fig, values), "co_so": facilities}


# Pupils per school in the school year 2025-2026 and in 2026-2027 (from September).
_PUPILS = {
    "Trường Mầm non An Phú": (286, 301),
    "Trường Mầm non An Bình": (242, 236),
    "Trường Tiểu học An Phú": (812, 835),
    "Trường Tiểu học An Bình": (706, 698),
    "Trường THCS An Phú": (598, 624),
    "Trường THCS An Bình": (517, 530),
}
assert tuple(_PUPILS) == SCHOOLS
_GREEN_SCHOOL_FROM = {"Trường THCS An Phú": 6}


def _schools(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    rows = []
    for i, name in enumerate(SCHOOLS):
        pupils = _PUPILS[name][1 if m >= 9 else 0]
        share = _ramp(m, 0.62 + 0.03 * i, 0.80 + 0.02 * i)
        rows.append(
            TableRow(
                name,
                None,
                {
                    den("so_lien_lac_dt"): pupils,
                    num("so_lien_lac_dt"): round(pupils * min(1.0, share)),
                    num("truong_xanh"): 1 if m >= _GREEN_SCHOOL_FROM.get(name, 99) else 0,
                },
            )
        )
    return {"truong": rows}


def _police(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    values = {num("xe_dien_moi"): rng.randint(8, 16), num("vi_pham_moi_truong"): rng.choice((0, 0, 1, 1, 2, 3))}
    return {"xa": [TableRow("Toàn xã", None, values)]}


# Burning of rubbish and straw: after the spring harvest (June) and the autumn one (October).
_BURNING = {5: {"lai-vu": 1}, 6: {"lai-vu": 2, "quynh-khe": 1, "binh-ha": 1}, 7: {"quynh-khe": 1}}
_BURNING[10] = {"lai-vu": 1, "mac-xa": 1, "quynh-khe": 1}


def _burning(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    return _village_rows(fig, lambda v: {num("dot_rac_tuy_tien"): _BURNING.get(m, {}).get(v.code, 0)})


# Campaign months: the tree-planting festival, Youth Month, World Environment Day (5/6), autumn clean-up.
_CAMPAIGN = {1: 0.6, 2: 1.6, 3: 1.4, 4: 0.8, 5: 0.7, 6: 1.5, 7: 0.6, 8: 0.7, 9: 1.2, 10: 1.1}


def _volunteers(fig: Figures, m: int, rng: random.Random) -> dict[str, list[TableRow]]:
    def values(v: Village) -> dict[str, float]:
        return {num("luot_ra_quan"): round(24 * v.effort * _CAMPAIGN[m] * rng.uniform(0.7, 1.3))}

    return _village_rows(fig, values)


# ---------------------------------------------------------------- ground truth


def place_code(index: int) -> str:
    return ("khu-cong-cong", "truong-hoc", "nha-van-hoa", "tuyen-duong")[index]


def expected_rows(fig: Figures, catalogue: Catalogue) -> tuple[list[dict], list[dict]]:
    """The figures as the pipeline should find them: per indicator, month and village (None = commune).

    Returns (rows, breakdowns). Flow and table indicators have a row for every village the sheet
    lists (all 20), register stocks one for every village with a listed item; a report that never
    arrived gives commune rows whose numerator and denominator are None.
    """
    sums: dict[tuple[str, str, str | None], list[float | None]] = {}
    parts: dict[tuple[str, str, str, str], float] = {}

    def add(ind: str, m: int, village: str | None, n: float, d: float | None = None) -> None:
        for key in ((ind, period(m), village), (ind, period(m), None)) if village else ((ind, period(m), None),):
            acc = sums.setdefault(key, [0.0, None if d is None else 0.0])
            acc[0] += n
            if d is not None:
                acc[1] = (acc[1] or 0.0) + d

    def part(ind: str, m: int, dim: str, value: str, n: float) -> None:
        key = (ind, period(m), dim, value)
        parts[key] = parts.get(key, 0.0) + n

    for m in MONTHS:
        for v in fig.villages:
            add("cay_xanh_trong_moi", m, v.code, 0)
        for e in fig.trees[m]:
            add("cay_xanh_trong_moi", m, e.village, e.count)
            part("cay_xanh_trong_moi", m, "dia_diem", place_code(e.place), e.count)
        for r in fig.tthc[m]:
            add("tthc_truc_tuyen", m, None, r.online, r.received)
            add("tthc_toan_trinh", m, None, r.full_online, r.received)
            add("tthc_dung_han", m, None, r.on_time, r.on_time + r.late)
            part("tthc_truc_tuyen", m, "linh_vuc", r.field, r.online)
        for c in fig.cash[m]:
            add("ttkdtm_giao_dich", m, None, c.cashless, c.transactions)
            add("ttkdtm_gia_tri", m, None, c.cashless_value, c.value)
            part("ttkdtm_giao_dich", m, "don_vi", c.unit, c.cashless)
        end = month_end(m)
        listed = [e for e in fig.register if e.listed_at(end)]
        for ind in ("ocop_san_pham", "vietgap_co_so", "vietgap_dien_tich", "huu_co_dien_tich"):
            add(ind, m, None, 0)
        for e in listed:
            valid = e.valid_at(end)
            if e.certificate == "OCOP":
                add("ocop_san_pham", m, e.village, 1 if valid and (e.stars or 0) >= 3 else 0)
                if valid:
                    part("ocop_san_pham", m, "hang_sao", str(e.stars), 1)
            elif e.certificate == "VietGAP":
                add("vietgap_co_so", m, e.village, 1 if valid else 0)
                add("vietgap_dien_tich", m, e.village, (e.area_ha or 0) if valid else 0)
            else:
                add("huu_co_dien_tich", m, e.village, (e.area_ha or 0) if valid else 0)
        for months in fig.tables.values():
            for basis_rows in months.get(m, {}).values():
                for row in basis_rows:
                    for ind in sorted({k.split(".")[0] for k in row.values}):
                        d = row.values.get(den(ind))
                        add(ind, m, row.village, row.values[num(ind)], d)
                        if row.village is None and row.label != "Toàn xã":
                            part(ind, m, "don_vi", row.label, row.values[num(ind)])
        for unit, _kind, mm in MISSING:
            if mm != m:
                continue
            for ind in catalogue.indicators:
                if ind.responsible == unit and (ind.code, period(m), None) not in sums:
                    sums[(ind.code, period(m), None)] = [None, None]

    rows = []
    for (ind, p, village), (n, d) in sorted(sums.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        rows.append(
            {
                "indicator": ind,
                "period": p,
                "village": village,
                "numerator": None if n is None else round(n, 3),
                "denominator": None if d is None else round(d, 3),
            }
        )
    breakdowns = [
        {"indicator": i, "period": p, "dimension": dim, "value": val, "numerator": round(n, 3)}
        for (i, p, dim, val), n in sorted(parts.items())
    ]
    return rows, breakdowns


# ---------------------------------------------------------------- when each report was signed

# Reports signed late (day of the following month); every other one is signed by the 5th or so.
LATE = {
    ("phong-vhxh", "bang_thang", 3): 12,
    ("thon", "bang_thang", 6): 12,
    ("van-phong", "khong_tien_mat", 7): 10,
    ("truong-hoc", "bang_thang", 9): 14,
    ("phong-kinh-te", "trong_cay", 8): 11,
}


def signed_on(unit: str, kind: str, m: int) -> date:
    """The date on the report's place-and-date line: in the month after the period."""
    year, month = (YEAR + 1, 1) if m == 12 else (YEAR, m + 1)
    day = LATE.get((unit, kind, m))
    if day is None:
        rng = random.Random(f"{SEED}/{unit}/{kind}/{m}")
        day = rng.choice((2, 3, 3, 4, 4, 5, 5, 5, 6, 7))
    return date(year, month, day)
