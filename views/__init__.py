"""What the pages and the Word brief both show, built without Streamlit or SQL: tables, sentences, frames and the
Vietnamese labels and column names they use."""
