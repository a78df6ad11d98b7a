"""What `make run` and the browser tests serve: dashboard.py inside st.App, with the Vietnamese index.html and
the bundled font (app_pages/asgi.py). `streamlit run dashboard.py` still works, with lang set by script."""

import streamlit as st
from starlette.middleware import Middleware

from app_pages.asgi import ROUTES, VietnameseIndex

app = st.App("dashboard.py", routes=ROUTES, middleware=[Middleware(VietnameseIndex)])
