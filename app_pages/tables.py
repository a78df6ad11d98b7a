"""Tables on screen in Vietnamese number format (still sorting as numbers), with Excel and CSV download buttons
(the files themselves are built in views/downloads.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

import pandas as pd
import streamlit as st

from app_pages import data, filters, session
from ground import fmt
from views import downloads, formats, privacy, summaries, texts
from views import html_table as html_table_view

Formatter = Callable[[object], str]
RowFormatter = Callable[[object, str], str]  # (value, the row's unit of measure) → text
Colour = Callable[[object], tuple[str, str] | None]  # value → (background, ink) or None

# ---------------------------------------------------------------- screen


def default_formatter(x: object) -> str:
    """Vietnamese display of any cell: 1.234,5 · 05/09/2026 · "–" for a gap; text as is."""
    if isinstance(x, list | tuple):
        return ", ".join(str(v) for v in x)
    if fmt.is_missing(x):
        return fmt.MISSING
    if isinstance(x, bool):
        return "Có" if x else "Không"
    if isinstance(x, int | float) or (hasattr(x, "dtype") and getattr(x.dtype, "kind", "") in "iuf"):
        return fmt.number(float(x))
    if isinstance(x, pd.Timestamp | datetime):
        ts = pd.Timestamp(x)
        return fmt.date(ts) if (ts.hour, ts.minute, ts.second) == (0, 0, 0) else fmt.datetime(ts.to_pydatetime())
    if isinstance(x, date):
        return fmt.date(x)
    return privacy.visible_text(str(x))  # a right-to-left override must not reverse a file name on screen


def styled(
    frame: pd.DataFrame,
    *,
    formats: Mapping[str, Formatter] | None = None,
    units: Sequence[str] | None = None,
    per_row: Mapping[str, RowFormatter] | None = None,
    colours: Mapping[str, Colour] | None = None,
    cell_colours: pd.DataFrame | None = None,
) -> pd.io.formats.style.Styler:
    """A Styler that shows Vietnamese numbers while the cells keep their numeric values (so sorting a
    column sorts numbers). `per_row` columns are written with the unit of measure of their row (`units`),
    e.g. quantity → "8.370 cây", "63,2%"; `formats` give other columns their own formatter; `colours`
    paint cells by their value, `cell_colours` (same shape as `frame`, cells (background, ink) or None) cell
    by cell."""
    data = frame.reset_index(drop=True)
    sty = data.style.format(default_formatter, na_rep=fmt.MISSING)
    for col, f in (formats or {}).items():
        if col in data.columns:
            sty = sty.format(lambda x, f=f: fmt.MISSING if fmt.is_missing(x) else f(x), subset=[col])
    if per_row and units is not None:
        unit_list = list(units)
        for col, f in per_row.items():
            if col in data.columns:
                c = data.columns.get_loc(col)
                for unit in dict.fromkeys(unit_list):
                    rows = [i for i, u in enumerate(unit_list) if u == unit]
                    _format_cells(sty, rows, c, lambda x, f=f, u=unit: fmt.MISSING if fmt.is_missing(x) else f(x, u))
    # One apply for every painted cell: Styler.map(subset=...) per column costs ~1 ms each.
    painted = cell_paint(data, colours, cell_colours)
    if painted is not None:
        css = painted.map(_css)
        sty = sty.apply(lambda _: css, axis=None)
    return sty


def cell_paint(
    data: pd.DataFrame, colours: Mapping[str, Colour] | None, cell_colours: pd.DataFrame | None
) -> pd.DataFrame | None:
    """(background, ink) or None for every cell of `data` (index reset), or None when nothing is painted."""
    paint = pd.DataFrame(None, index=data.index, columns=data.columns, dtype=object)
    painted = False
    for col, by_value in (colours or {}).items():
        if col in data.columns:
            paint[col] = pd.Series([by_value(v) for v in data[col]], index=data.index, dtype=object)
            painted = True
    if cell_colours is not None:
        given = cell_colours.reset_index(drop=True)
        for c, col in enumerate(data.columns):
            cells = [v if isinstance(v, tuple) else None for v in given.iloc[:, c]]
            paint[col] = pd.Series(
                [a or b for a, b in zip(cells, paint[col], strict=True)], index=data.index, dtype=object
            )
        painted = True
    return paint if painted else None


def shown_texts(sty: pd.io.formats.style.Styler) -> pd.DataFrame:
    """Each cell as the grid shows it (the Styler's formatters), for the HTML table."""
    data = sty.data
    funcs = getattr(sty, "_display_funcs", None)
    cols = {}
    for c in range(data.shape[1]):
        values = data.iloc[:, c]
        if funcs is None:
            cols[c] = [default_formatter(v) for v in values]
        else:
            cols[c] = [str(funcs[(r, c)](v)) for r, v in enumerate(values)]
    out = pd.DataFrame(cols)
    out.columns = data.columns
    return out


def html_table(
    frame: pd.DataFrame,
    sty: pd.io.formats.style.Styler,
    *,
    hide: Sequence[str] = (),
    colours: Mapping[str, Colour] | None = None,
    cell_colours: pd.DataFrame | None = None,
    caption: str | None = None,
    css_class: str = "",
) -> str:
    """The frame as a real HTML table with the grid's texts and colours, without the `hide` columns."""
    data = frame.reset_index(drop=True)
    texts_ = shown_texts(sty)
    paint = cell_paint(data, colours, cell_colours)
    keep = [c for c in data.columns if c not in set(hide)]
    return html_table_view.from_frame(
        data[keep], texts_[keep], None if paint is None else paint[keep], caption=caption, css_class=css_class
    )


def _format_cells(sty: pd.io.formats.style.Styler, rows: list[int], col: int, func: Formatter) -> None:
    """What Styler.format(func, subset=IndexSlice[rows, [col]]) does, without its label lookups (which cost
    ~1 ms per call: a table of 30 rows × 6 columns × 12 units took 100 ms). Falls back to the public call
    if pandas ever renames the map."""
    funcs = getattr(sty, "_display_funcs", None)
    if funcs is None:
        sty.format(func, subset=pd.IndexSlice[rows, [sty.data.columns[col]]])
        return
    for r in rows:
        funcs[(r, col)] = func


def unit_column_widths(sty: pd.io.formats.style.Styler, per_row: Mapping[str, RowFormatter]) -> dict[str, int]:
    """Pixel widths for the columns written with their row's unit ("2,39 sản phẩm"): the grid sizes columns
    from a sample of the raw values, which clipped the longest texts."""
    funcs = getattr(sty, "_display_funcs", None)
    if funcs is None:
        return {}
    data = sty.data
    widths = {}
    for col in per_row:
        if col not in data.columns:
            continue
        c = data.columns.get_loc(col)
        texts = [str(funcs[(r, c)](v)) for r, v in enumerate(data.iloc[:, c]) if (r, c) in funcs]
        longest = max((len(t) for t in texts), default=0)
        widths[col] = max(len(str(col)), longest) * 7 + 22  # ~7 px per character of the grid's 14 px font
    return widths


def _css(colours: tuple[str, str] | None) -> str:
    if not isinstance(colours, tuple):  # None, or the NaN an empty object cell holds
        return ""
    background, ink = colours
    return f"background-color: {background}; color: {ink};"


def show(
    frame: pd.DataFrame,
    *,
    key: str,
    file_stem: str,
    formats: Mapping[str, Formatter] | None = None,
    units: Sequence[str] | None = None,
    per_row: Mapping[str, RowFormatter] | None = None,
    colours: Mapping[str, Colour] | None = None,
    cell_colours: pd.DataFrame | None = None,
    screen_hide: Sequence[str] = (),
    export: pd.DataFrame | None = None,
    height: int | str = "auto",
    column_config: Mapping[str, object] | None = None,
    downloads: bool = True,
    pin: str | None = None,
    html: bool = True,
) -> None:
    """A table on screen (Vietnamese formats, sortable, scrolls sideways on a phone) and its downloads.
    Formatting arguments as for styled().

    `frame` has Vietnamese headers and raw values. `export` is what the downloads hold (default: `frame`);
    `screen_hide` columns are downloaded but not shown (a unit column when the cells carry the unit); the
    `pin` column stays in view while the others scroll sideways (the row's name on a phone). `html`: also the
    same rows as an HTML table in an expander (False where the page gives its own, or inside an expander)."""
    # The one rule of who sees people: here for the screen; download_buttons applies it to what the files hold.
    frame = privacy.for_reader(frame, session.viewer())
    sty = styled(frame, formats=formats, units=units, per_row=per_row, colours=colours, cell_colours=cell_colours)
    order = [c for c in frame.columns if c not in set(screen_hide)]
    config = dict(column_config or {})
    if pin and pin in frame.columns:
        config.setdefault(pin, st.column_config.Column(pinned=True))
    for col, width in unit_column_widths(sty, per_row or {}).items():
        config.setdefault(col, st.column_config.Column(width=width))
    st.dataframe(
        sty,
        hide_index=True,
        column_order=order,
        height=height,
        key=key,
        column_config=config,
        width="stretch",
        placeholder=fmt.MISSING,  # Streamlit shows an empty cell as "None" and ignores the Styler's text for it
    )
    # The canvas grid is absent from the accessibility tree and prints its visible rows only: the same rows as
    # an HTML table, one click away (and printed in full, app_pages/head/xanh.css).
    if html:
        with st.expander(texts.AS_TABLE):
            memo = _html_key(key, frame, units, screen_hide, formats, per_row, colours, cell_colours)

            def build() -> str:
                return html_table(frame, sty, hide=screen_hide, colours=colours, cell_colours=cell_colours)

            table_html = build() if memo is None else _reused_html(memo, build)
            st.html(table_html)
    if downloads:
        layout = _layout(units, per_row)
        download_buttons(frame if export is None else export, key=key, file_stem=file_stem, layout=layout)


@st.cache_resource(max_entries=256, show_spinner=False)
def _reused_html(memo: tuple, _build: Callable[[], str]) -> str:
    """The HTML copy of a table, by what it was made from (`_html_key`): every rerun (another leader, a filter set
    back) draws the same tables, and building their HTML cost more than the rest of a page's script. Shared by all
    sessions: the frame is already what its reader may see, so a visitor's copy and an admin's never share a key."""
    return _build()


def _html_key(key: str, frame: pd.DataFrame, *args: object) -> tuple | None:
    """What the HTML copy of `frame` depends on: its cells, columns and types, and how they are written (the
    formatters by name and place: a table's formatters are fixed by its page's code). None when the frame
    cannot be hashed (cells pandas cannot hash), which only means no reuse."""
    try:
        cells = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes() if len(frame) else b""
        extra = []
        for arg in args:
            if isinstance(arg, pd.DataFrame):
                extra.append(pd.util.hash_pandas_object(arg.astype(str), index=False).to_numpy().tobytes())
            elif isinstance(arg, Mapping):
                extra.append(tuple((k, _function_id(v)) for k, v in arg.items()))
            else:
                extra.append(tuple(arg) if isinstance(arg, Sequence) and not isinstance(arg, str) else arg)
        return key, tuple(frame.columns), tuple(map(str, frame.dtypes)), cells, tuple(extra)
    except (TypeError, ValueError):
        return None


def _function_id(f: object) -> tuple:
    """A formatter by its code and what it closes over ("lambda x: fmt.percent(x, 1)" in one place is one)."""
    code = getattr(f, "__code__", None)
    if code is None:
        return (repr(f),)
    cells = tuple(repr(c.cell_contents) for c in getattr(f, "__closure__", None) or ())
    defaults = repr(getattr(f, "__defaults__", None))
    return code.co_filename, code.co_firstlineno, code.co_code, repr(code.co_consts), defaults, cells


def html_copy(data: pd.DataFrame | pd.io.formats.style.Styler) -> None:
    """Under a bare st.dataframe (the staff pages): the same rows as an HTML table under "Xem dạng bảng"."""
    sty = data if isinstance(data, pd.io.formats.style.Styler) else styled(data)
    with st.expander(texts.AS_TABLE):
        st.html(html_table(sty.data, sty))


def _layout(units: Sequence[str] | None, per_row: Mapping[str, RowFormatter] | None) -> downloads.Layout:
    """The files read the `per_row` columns in their row's unit, as the screen does."""
    if units is None:
        return downloads.Layout()
    return downloads.Layout(units=tuple(units), unit_columns=downloads.columns_of(per_row or {}))


def about(table: str) -> tuple[str, ...]:
    """The lines naming a download: the commune, the page, the table, the month chosen and the figures' source."""
    snap = data.snapshot()
    commune = snap.catalogue.commune.name if snap.catalogue is not None else ""
    month = filters.current(snap).month if snap.catalogue is not None else None
    frozen = getattr(snap, "frozen", None)
    source = texts.LIVE_FIGURES if frozen is None else texts.FROZEN_FIGURES.format(name=frozen.name)
    page = st.session_state.get(PAGE_TITLE)
    return downloads.about_lines(commune, page, month, source, table)


# The router (dashboard.py) keeps the title of the page being run here, for the downloads' first line.
PAGE_TITLE = "page_title"


def download_buttons(
    frame: pd.DataFrame,
    *,
    key: str,
    file_stem: str,
    sheet: str | None = None,
    layout: downloads.Layout | None = None,
) -> None:
    """Excel and CSV of `frame` (as the reader may see it: views/privacy.py), generated only when clicked."""
    frame = privacy.for_reader(frame, session.viewer()).copy()
    given = layout or downloads.Layout()
    layout = downloads.Layout(about(sheet or file_stem), given.units, given.unit_columns)
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            texts.DOWNLOAD_XLSX,
            data=lambda: downloads.to_xlsx(frame, sheet or file_stem, layout),
            file_name=f"{file_stem}.xlsx",
            mime=downloads.XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
            icon=":material/download:",
            help=texts.DOWNLOAD_HELP,
        )
        st.download_button(
            texts.DOWNLOAD_CSV,
            data=lambda: downloads.to_csv(frame, layout),
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
            icon=":material/download:",
            help=texts.DOWNLOAD_HELP,
        )


def show_places(table: pd.DataFrame, *, key: str, file_stem: str, units: Sequence[str], pin: str, **kw) -> None:
    """A table of views.summaries.place_table (villages of one indicator, or one village's indicators): figures in
    their row's unit, the share of the target as a percent, the status coloured beside its word."""
    col = texts.COL
    show(
        table,
        key=key,
        file_stem=file_stem,
        units=units,
        per_row={
            col["actual"]: formats.quantity,
            "Chỉ tiêu của thôn": formats.quantity,
            col["expected"]: formats.quantity,
            col["change"]: formats.change,
        },
        formats={col["pct"]: lambda x: fmt.percent(x, 1)},
        colours={col["status"]: summaries.status_colours},
        screen_hide=(col["unit"], col["code"]),
        pin=pin,
        **kw,
    )
