"""Launch links that work for a class: every chapter's Binder, Colab and (when configured)
JupyterHub button opens that chapter's own notebook in the configured repository and branch,
and its download button serves that notebook.

The links are read from the built HTML (no browser needed). The JupyterHub button exists only
when ``launch_buttons.jupyterhub_url`` is set in ``_config.yml``; the book ships with it empty,
so the built site must show no JupyterHub button, and the theme's nbgitpuller link is checked
by rendering one chapter's buttons with a hub address set.
"""

from __future__ import annotations

import posixpath
import types
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from jupyter_book.config import get_final_config

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]
ORG, REPO = urlsplit(REPO_URL).path.strip("/").split("/")
LAUNCH = CONFIG["launch_buttons"]
BINDER = LAUNCH["binderhub_url"].rstrip("/")
COLAB = LAUNCH["colab_url"].rstrip("/")
HUB = (LAUNCH.get("jupyterhub_url") or "").rstrip("/")
UI = {"jupyterlab": "lab/tree", "classic": "tree"}[LAUNCH["notebook_interface"]]


def chapter_notebooks() -> list[str]:
    """Repository paths of the notebooks in _toc.yml, e.g. 'notebooks/least_squares.ipynb'."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{f}.ipynb" for f in files if (ROOT / f"{f}.ipynb").is_file()]


CHAPTERS = chapter_notebooks()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def page_links(site_dir: Path, notebook: str) -> list[str]:
    parser = Links()
    parser.feed((site_dir / notebook).with_suffix(".html").read_text(encoding="utf-8"))
    return parser.hrefs


def binder_link(notebook: str) -> str:
    return f"{BINDER}/v2/gh/{ORG}/{REPO}/{BRANCH}?urlpath={UI}/{notebook}"


def colab_link(notebook: str) -> str:
    return f"{COLAB}/github/{ORG}/{REPO}/blob/{BRANCH}/{notebook}"


def test_every_chapter_notebook_is_checked():
    assert len(CHAPTERS) >= 15, CHAPTERS


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_binder_and_colab_open_this_chapter(site_dir, notebook):
    links = page_links(site_dir, notebook)
    launch = [h for h in links if h.startswith((BINDER, COLAB))]
    assert sorted(launch) == sorted([binder_link(notebook), colab_link(notebook)]), launch


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_no_jupyterhub_button_without_a_configured_hub(site_dir, notebook):
    links = page_links(site_dir, notebook)
    hub_links = [h for h in links if "/hub/user-redirect/" in h or "example.org" in h]
    if HUB:
        assert all(h.startswith(HUB) for h in hub_links), hub_links
        assert len(hub_links) == 1, hub_links
    else:
        assert hub_links == [], f"{notebook}: a JupyterHub button with no hub configured"


@pytest.mark.parametrize("notebook", CHAPTERS)
def test_the_download_button_serves_this_notebook(site_dir, notebook):
    page = (site_dir / notebook).with_suffix(".html")
    downloads = [h for h in page_links(site_dir, notebook) if h.endswith(".ipynb")]
    local = [h for h in downloads if "://" not in h]
    assert len(local) == 1, f"{notebook}: download links {local}"
    served = Path(posixpath.normpath((page.parent / local[0]).as_posix()))
    assert served.is_file(), f"{notebook}: {local[0]} is not in the site"
    assert served.read_bytes() == (ROOT / notebook).read_bytes(), (
        f"{notebook}: the downloaded notebook differs from the repository's"
    )


def theme_launch_buttons(notebook: str, hub: str) -> list[dict]:
    """The launch buttons sphinx-book-theme renders for a chapter, with jupyterhub_url = hub."""
    from sphinx_book_theme.header_buttons.launch import add_launch_buttons

    cli = {"latex_individualpages": False}
    config, _ = get_final_config(user_yaml=ROOT / "_config.yml", cli_config=cli, sourcedir=ROOT)
    options = config["html_theme_options"]
    options["launch_buttons"] = {**options["launch_buttons"], "jupyterhub_url": hub}
    pagename = notebook.removesuffix(".ipynb")
    app = types.SimpleNamespace(
        config={"html_theme_options": options},
        env=types.SimpleNamespace(
            doc2path=lambda name: str(ROOT / f"{name}.ipynb"),
            metadata={pagename: {"kernelspec": {"name": "python3"}}},
        ),
    )
    context = {
        "pagename": pagename,
        "sourcename": notebook,
        "page_source_suffix": ".ipynb",
        "header_buttons": [],
        "github_url": "https://github.com",
        "github_user": ORG,
        "github_repo": REPO,
    }
    add_launch_buttons(app, pagename, "page.html", context, None)
    return [b for group in context["header_buttons"] for b in group.get("buttons", [])]


@pytest.mark.parametrize("notebook", CHAPTERS[:1] + CHAPTERS[-1:])
def test_a_configured_hub_gets_an_nbgitpuller_link_to_this_chapter(notebook):
    hub = "https://hub.course.example.edu"
    buttons = theme_launch_buttons(notebook, hub + "/")
    urls = {b["text"]: b["url"] for b in buttons}
    assert urls["Binder"] == binder_link(notebook) and urls["Colab"] == colab_link(notebook)
    parts = urlsplit(urls["JupyterHub"])
    assert f"{parts.scheme}://{parts.netloc}" == hub
    assert parts.path == "/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    # nbgitpuller clones the repository into a folder named after it, then opens the chapter
    assert query == {"repo": REPO_URL, "branch": BRANCH, "urlpath": f"{UI}/{REPO}/{notebook}"}


def test_without_a_hub_the_theme_renders_no_jupyterhub_button():
    buttons = theme_launch_buttons(CHAPTERS[0], "")
    assert [b["text"] for b in buttons] == ["Binder", "Colab"]
