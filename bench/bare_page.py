"""The floor of bench/first_screen.py: the barest Streamlit page a leader could be shown, one Altair chart and
one 12-row table, served by the same Streamlit as the dashboard."""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="Trang trần", layout="wide")
st.title("Trang trần")
months = pd.DataFrame({"tháng": [f"T{m}/2026" for m in range(1, 13)], "số cây": [40 * m + 15 for m in range(12)]})
st.altair_chart(alt.Chart(months).mark_line(point=True).encode(x=alt.X("tháng:N", sort=None), y="số cây:Q"))
st.dataframe(months, hide_index=True)
