"""The served app (`streamlit run app_pages/server.py`, as `make run` and the browser tests do): dashboard.py inside
st.App with two small middlewares, the Vietnamese index.html and bundled font (app_pages/asgi.py) and the security
headers Streamlit cannot set itself. `streamlit run dashboard.py` still works, without them (lang then set by script).

Streamlit 1.67 has no option for response headers (no server.customHeaders), but `streamlit run` serves a script
that defines an st.App with the app's own Starlette middleware. Every HTTP response, the page, its scripts and the
health check alike, then says it may be framed only by this site (clickjacking: another site cannot show the
dashboard in a frame and steer clicks); the websocket upgrade is not an HTTP response and carries no page.
Its lifespan warms the caches before the first request (app_pages/warmup.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from app_pages.asgi import ROUTES, VietnameseIndex

log = logging.getLogger(__name__)

HEADERS = (
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-frame-options", b"SAMEORIGIN"),  # for browsers older than CSP level 2
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware: HEADERS on every HTTP response (replacing any of the same name)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        names = {name for name, _ in HEADERS}

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = kept + list(HEADERS)
            await send(message)

        await self.app(scope, receive, with_headers)


@contextlib.asynccontextmanager
async def warm_first(_app: st.App) -> AsyncIterator[None]:
    """Before the server takes its first request: the pages' libraries imported and the month's views computed
    (app_pages/warmup.py), in a thread so the event loop is free; the first visitor then waits no longer than the
    next. The runtime has started by now, so the caches filled are the ones every session reads."""
    from app_pages import warmup

    took = await asyncio.to_thread(warmup.warm)
    log.info("caches warmed in %.2f s", took)
    yield


app = st.App(
    str(Path(__file__).resolve().parent.parent / "dashboard.py"),
    routes=ROUTES,
    middleware=[Middleware(SecurityHeaders), Middleware(VietnameseIndex)],
    lifespan=warm_first,
)
