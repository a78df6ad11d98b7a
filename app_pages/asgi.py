"""The one lever on Streamlit's own index.html: an ASGI middleware (st.App, public API) that serves the page as
Vietnamese from the first paint (`<html lang="vi">`, our CSS and script in <head>) and the bundled Noto Sans."""

from __future__ import annotations

from pathlib import Path

import fontpkg_noto_sans
from starlette.responses import FileResponse
from starlette.routing import Route

HEAD_DIR = Path(__file__).resolve().parent / "head"
FONT_PATH = "/xanh-font/noto-sans.ttf"
_FONT_FILE = fontpkg_noto_sans.ROOT / "files" / "NotoSans[wdth,wght].ttf"
_LANG_EN = b'<html lang="en"'
_LANG_VI = b'<html lang="vi"'


def head_css() -> str:
    """Focus ring, print, the served font and the phone layout: one stylesheet (app_pages/head/xanh.css)."""
    return (HEAD_DIR / "xanh.css").read_text(encoding="utf-8").replace("{FONT_PATH}", FONT_PATH)


def head_js() -> str:
    """Keeps lang="vi", puts Streamlit's own English into Vietnamese or hides it from assistive tech, closes the
    phone menu after a choice, prints (app_pages/head/xanh.js)."""
    return (HEAD_DIR / "xanh.js").read_text(encoding="utf-8")


def rewrite_index(body: bytes) -> bytes:
    """index.html with lang="vi" and our <style>/<script> first in <head>. A page without Streamlit's markers is
    returned unchanged (the lang test then fails loudly rather than the app breaking)."""
    if _LANG_EN not in body or b"<head>" not in body:
        return body
    head = f"<head><style>{head_css()}</style><script>{head_js()}</script>".encode()
    return body.replace(_LANG_EN, _LANG_VI, 1).replace(b"<head>", head, 1)


class VietnameseIndex:
    """Pure ASGI middleware: rewrites Streamlit's HTML responses (index.html, also its fallback for /chi-tieu
    and every page path) and passes everything else (websocket, scripts, uploads) through untouched."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope["path"].startswith(("/_stcore", "/static")):
            await self.app(scope, receive, send)
            return
        # Ask for the plain body: the rewrite needs the text, and the page is a few kB.
        scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"])
        held: dict = {}
        chunks: list[bytes] = []

        async def send_rewritten(message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers") or []}
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    held["start"] = message
                    return
                await send(message)
                return
            if "start" not in held:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = rewrite_index(b"".join(chunks))
            start = held["start"]
            headers = [(k, v) for k, v in start.get("headers") or [] if k.lower() not in (b"content-length", b"etag")]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_rewritten)


async def _font(_request) -> FileResponse:
    return FileResponse(_FONT_FILE, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"})


ROUTES = [Route(FONT_PATH, _font)]
