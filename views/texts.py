"""User-facing Vietnamese strings shared by several pages: app name, empty and error states, column headers, labels."""

from __future__ import annotations

APP_TITLE = "Chuyển đổi xanh An Phú"

# Shown instead of any page while the database holds no figure.
EMPTY_TITLE = "Chưa có số liệu để hiển thị"
EMPTY_BODY = (
    "Cơ sở dữ liệu chưa có báo cáo nào. Bảng theo dõi sẽ hiện tiến độ ngay khi có báo cáo tháng đầu tiên.\n\n"
    "Cách nạp số liệu:\n\n"
    "1. Cán bộ các đơn vị tải tệp Excel báo cáo tháng lên ở trang **Tải lên** (nếu trang này đã được bật).\n"
    "2. Hoặc người quản trị chạy lệnh sau trong thư mục của chương trình:"
)
EMPTY_COMMAND = ".venv/bin/python cli.py import <các tệp báo cáo .xlsx> --db {db}"
EMPTY_SAMPLE = "Muốn xem thử với số liệu mẫu:"
EMPTY_SAMPLE_COMMAND = ".venv/bin/python cli.py init --db {db} --sample sample_data"

BUSY = "Cơ sở dữ liệu đang bận vì đang nhập báo cáo. Hãy đợi vài giây rồi tải lại trang."
CATALOGUE_BROKEN = "Danh mục chỉ tiêu (catalogue.toml) đang có lỗi, hãy báo người quản trị sửa:"
UNREADABLE = "Không đọc được cơ sở dữ liệu. Hãy báo người quản trị kiểm tra tệp:"

# Filters.
FILTER_LABELS = {"thang": "Tháng", "giai_doan": "Giai đoạn", "ma": "Chỉ tiêu", "thon": "Thôn"}
WHOLE_COMMUNE = "Toàn xã"
CHOOSE = "Chọn…"  # a selector's placeholder (Streamlit's own says "Choose an option")
VISION_LABEL = "Tầm nhìn 2050"
BAD_PARAM = {
    "thang": "Không có số liệu tháng “{value}” trong đường dẫn; đang hiển thị {shown}.",
    "giai_doan": "Không có giai đoạn “{value}”; đang hiển thị {shown}.",
    "ma": "Không có chỉ tiêu mã “{value}”; đang hiển thị “{shown}”.",
    "thon": "Không có thôn mã “{value}”; đang hiển thị {shown}.",
}

# Downloads.
DOWNLOAD_XLSX = "Tải Excel"
DOWNLOAD_CSV = "Tải CSV"
DOWNLOAD_HELP = "Số liệu gốc, chưa làm tròn"

KINDS = {
    "flow": "Cộng dồn (lũy kế từ đầu kế hoạch)",
    "ratio": "Tỷ lệ (Σ tử số ÷ Σ mẫu số)",
    "stock": "Số hiện có cuối tháng",
}
DIRECTIONS = {"up": "Càng cao càng tốt", "down": "Càng thấp càng tốt", "none": "Chỉ theo dõi"}

# Breakdowns the loaders record (Observation.breakdown) and the names of their values.
DIMENSIONS = {  # as they read mid-sentence ("Theo hạng sao OCOP"); capitalise for a heading or legend
    "dia_diem": "loại địa điểm trồng",
    "hang_sao": "hạng sao OCOP",
    "linh_vuc": "lĩnh vực",
    "don_vi": "đơn vị, cơ sở",
}
DIMENSION_VALUES = {
    "dia_diem": {
        "khu-cong-cong": "Khu công cộng",
        "truong-hoc": "Trường học",
        "nha-van-hoa": "Nhà văn hóa",
        "tuyen-duong": "Tuyến đường",
        "khac": "Nơi khác",
    },
}

# Column headers used on several pages (screen and downloads).
COL = {
    "status": "Trạng thái",
    "indicator": "Chỉ tiêu",
    "code": "Mã",
    "sector": "Lĩnh vực",
    "unit": "Đơn vị tính",
    "actual": "Thực hiện",
    "target": "Chỉ tiêu giai đoạn",
    "pct": "% chỉ tiêu",
    "expected": "Kỳ vọng đến nay",
    "r": "Tỷ số tiến độ r",
    "required": "Tốc độ cần/tháng",
    "current": "Tốc độ hiện tại/tháng",
    "change": "So với tháng trước",
    "previous_status": "Trạng thái tháng trước",
    "responsible": "Đơn vị chủ trì",
    "cooperating": "Đơn vị phối hợp",
    "target_source": "Nguồn chỉ tiêu",
    "village": "Thôn",
    "month": "Tháng",
    "clause": "Mục kế hoạch",
}

PER_MONTH = "/tháng"
# The source named in a download's second line.
LIVE_FIGURES = "Số liệu hiện tại"
FROZEN_FIGURES = "Số liệu đã chốt “{name}”"
PROPOSAL_NOTE = "Chỉ tiêu đề xuất, chưa phải chỉ tiêu được cấp trên giao chính thức."

# The HTML copy of a canvas table or of a chart's numbers (screen readers, print, phones).
AS_TABLE = "Xem dạng bảng"
PRINT_BUTTON = "In trang này"
