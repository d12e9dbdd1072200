"""PDF documents: a Django template rendered to HTML, then to PDF by WeasyPrint.

Fonts are bundled under ``static/fonts/`` (Liberation Serif: the metrics of Times New Roman, as
ГОСТ Р 7.0.97 expects), so a document looks the same on every server. WeasyPrint fetches
resources only through ``StaticFilesFetcher``: files of our own static directory and nothing
else, so no template or user text can make the server read other files or the network.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from organisations.russian import tie

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class StaticFilesFetcher(URLFetcher):
    """Serves ``file:`` URLs inside STATIC_DIR; refuses every other URL."""

    def __init__(self, root: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.root = root.resolve()

    def path_of(self, url: str) -> Path:
        """The file a URL names, if it is one of ours; ValueError otherwise."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"Refused to fetch {url!r}: only our own static files are served")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"Refused to fetch {url!r}: not a file of the static directory")
        return path

    def fetch(self, url, headers=None):
        path = self.path_of(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


def render_html(*, template_name: str, context: dict) -> str:
    # Non-breaking spaces («№ 48-ОД», «1 сентября 2025 г.», «О. А. Николаева») for every document at once.
    return tie(render_to_string(template_name, context))


def render_pdf(*, template_name: str, context: dict) -> bytes:
    """The template rendered to PDF; relative URLs in it (``fonts/…``) point into static/."""
    html = render_html(template_name=template_name, context=context)
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticFilesFetcher())
    return document.write_pdf(font_config=font_config)
