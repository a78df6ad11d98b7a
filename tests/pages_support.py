"""What the page tests share: the sample data imported once per session into a real DuckDB file, and readers of
what AppTest saw (a table's shown text, a chart's data)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
MONTH = "2026-10"  # the sample data's last month


def use_db(path: Path) -> Iterator[None]:
    """XANH_DB set to `path` for the app while the generator runs."""
    before = os.environ.get("XANH_DB")
    os.environ["XANH_DB"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("XANH_DB", None)
        else:
            os.environ["XANH_DB"] = before


def shown(element) -> pd.DataFrame:
    """The text a dataframe element shows in each cell (the Styler's display values), same shape as .value."""
    styler = element.proto.arrow_data.styler
    shown = pa.ipc.open_stream(styler.display_values).read_all().to_pandas()
    shown.columns = element.value.columns
    return shown


def table_with(at, column: str):
    """The first dataframe element that has `column`."""
    for d in at.dataframe:
        if column in d.value.columns:
            return d
    raise AssertionError(f"no table with column {column!r}")


def chart_data(element) -> list[dict]:
    """Every data row of a Vega-Lite chart element (inline values and Arrow datasets)."""
    rows: list[dict] = []
    spec = json.loads(element.proto.spec)

    def inline(node: object) -> None:
        if isinstance(node, dict):
            values = node.get("data", {}).get("values") if isinstance(node.get("data"), dict) else None
            if isinstance(values, list):
                rows.extend(v for v in values if isinstance(v, dict))
            for v in node.values():
                inline(v)
        elif isinstance(node, list):
            for v in node:
                inline(v)

    inline(spec)
    for value in spec.get("datasets", {}).values():
        rows.extend(value)
    for ds in element.proto.datasets:
        rows.extend(pa.ipc.open_stream(ds.data.data).read_all().to_pandas().to_dict("records"))
    return rows


def texts(at) -> str:
    """Every markdown, caption, header, metric and alert text of the run, one per line."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "success", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts)


def unescape(text: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed."""
    out, skip = [], False
    for ch in text:
        if ch == "\\" and not skip:
            skip = True
            continue
        out.append(ch)
        skip = False
    return "".join(out)


def app_on(script: str, user: str | None = None, **params: str):
    """dashboard.py in AppTest on `script`'s page (e.g. "app_pages/bao_cao.py") with the query `params`, as a
    visitor or, with `user`, in a session as the login form starts it; fails on any exception."""
    from streamlit.testing.v1 import AppTest

    from app_pages import session

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if user is not None:
        at.session_state[session.STATE] = {"name": user, "login_at": session.clock(), "generation": 0}
    if script != "app_pages/tong_quan.py" or user is not None:
        at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    return at
