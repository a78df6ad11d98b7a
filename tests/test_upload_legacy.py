"""The upload preview tells the uploader that a sheet was typed in an old font encoding and was converted."""

from __future__ import annotations

from tests.test_loaders_legacy import TCVN3, unicode_report
from tests.test_upload_page import open_page, store, texts, upload  # noqa: F401 (fixtures)
from tests.workbooks import typed_in, xlsx


def test_the_preview_names_the_sheet_and_its_old_encoding(store):  # noqa: F811
    at = open_page("tai_len", "lan")
    upload(at, ("BC trong cay T10.xlsx", xlsx({"T10": typed_in(unicode_report(), TCVN3, fonts=True)})))
    assert not texts(at.error)
    notes = texts(at.warning)
    assert "Lưu ý" in notes and "Trang 'T10'" in notes and "TCVN3" in notes and "chuyển sang Unicode" in notes
    assert "Sẽ nhập mới" in texts(at.success)
    rows = at.dataframe[0].value
    assert set(rows["Thôn / lĩnh vực / đơn vị"]) == {"Thôn An Lạc", "Thôn Đông Hà", "Thôn Đồng Lư"}
    assert not at.button(key="confirm_import").disabled
