"""JupyterLab starts on the course environment and runs a chapter, as a learner's `make lab` does.

The server runs headless on 127.0.0.1 (a free port, a token, no browser) with
its own temporary root, config, data and runtime folders. The test talks to it
the way the JupyterLab page does: the contents API opens the chapter, the
sessions API starts its kernel, and the kernel websocket runs the cells.
Every step has a time limit, and the server is always stopped.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from browser_env import BLOCK_OUTSIDE, chromium_path, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHAPTER = ROOT / "notebooks" / "least_squares.ipynb"
STEP_TIMEOUT = 60  # seconds for any one step: start-up, a request, a cell


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    def __init__(self, url: str, token: str, log: Path):
        self.url, self.token, self.log = url, token, log

    def request(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None


@contextmanager
def jupyter_lab(root_dir: Path, home: Path):
    """Run `jupyter lab` headless in the background; always stop it and its kernels."""
    jupyter = BIN / "jupyter"
    if not (BIN / "jupyter-lab").exists():
        pytest.fail(
            "JupyterLab is not installed in the course environment: "
            "`pip install -r requirements.txt`"
        )
    token = secrets.token_hex(16)
    port = free_port()
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(home / name.lower())
    log = home / "server.log"
    command = [
        str(jupyter),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        # window.jupyterapp lets the browser test pick and run one cell, as a click would.
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:  # CI containers run as root, which jupyter_server refuses by default
        command.append("--allow-root")
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    lab = Lab(f"http://127.0.0.1:{port}", token, log)
    try:
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"jupyter lab exited with {server.returncode}:\n"
                    f"{log.read_text(encoding='utf-8')[-3000:]}"
                )
            try:
                if lab.request("GET", "/api/status")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                tail = log.read_text(encoding="utf-8")[-3000:]
                pytest.fail(f"jupyter lab did not answer within {STEP_TIMEOUT} s:\n{tail}")
            time.sleep(0.3)
        yield lab, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                server.wait(timeout=20)
        with suppress(ProcessLookupError):  # kernels started by the server share its process group
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)


class KernelChannel:
    """The kernel websocket that the JupyterLab page uses to run cells."""

    def __init__(self, lab: Lab, kernel_id: str, session_id: str):
        import websocket  # websocket-client comes with jupyter_server

        ws_url = (
            lab.url.replace("http://", "ws://")
            + f"/api/kernels/{kernel_id}/channels?session_id={session_id}"
        )
        self.session_id = session_id
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {lab.token}"], timeout=STEP_TIMEOUT
        )

    def execute(self, code: str) -> list[dict]:
        """Run one cell; return its iopub outputs (stream, display_data, execute_result, error)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "session": self.session_id,
                        "username": "learner",
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        outputs, idle, reply = [], False, None
        deadline = time.monotonic() + STEP_TIMEOUT
        while not (idle and reply):
            assert time.monotonic() < deadline, (
                f"the cell did not finish within {STEP_TIMEOUT} s:\n{code[:300]}"
            )
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["header"]["msg_type"]
            if message["channel"] == "shell" and kind == "execute_reply":
                reply = message["content"]
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif kind in {"stream", "display_data", "execute_result", "error"}:
                outputs.append({"output_type": kind, **message["content"]})
        assert reply["status"] == "ok", (
            f"the cell failed: {reply.get('ename')}: {reply.get('evalue')}\n{code[:300]}"
        )
        return outputs

    def close(self):
        self.ws.close()


def stdout_of(outputs: list[dict]) -> str:
    return "".join(
        "".join(o["text"])
        for o in outputs
        if o["output_type"] == "stream" and o["name"] == "stdout"
    )


def has_image(outputs: list[dict]) -> bool:
    return any(k.startswith("image/") for o in outputs for k in o.get("data", {}))


def test_jupyterlab_opens_and_runs_a_chapter(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(CHAPTER, root / CHAPTER.name)
    stored = json.loads(CHAPTER.read_text(encoding="utf-8"))

    with jupyter_lab(root, tmp_path) as (lab, server):
        # The lab page itself is served (the learner's browser opens it).
        req = urllib.request.Request(lab.url + f"/lab?token={lab.token}")
        with urllib.request.urlopen(req, timeout=STEP_TIMEOUT) as page:
            assert page.status == 200 and "jupyter-config-data" in page.read().decode()

        status, model = lab.request("GET", f"/api/contents/{CHAPTER.name}?content=1")
        assert status == 200 and model["type"] == "notebook"
        cells = model["content"]["cells"]
        assert [c["cell_type"] for c in cells] == [c["cell_type"] for c in stored["cells"]]
        kernel_name = model["content"]["metadata"]["kernelspec"]["name"]
        _, specs = lab.request("GET", "/api/kernelspecs")
        assert kernel_name in specs["kernelspecs"], (
            f"no kernel {kernel_name!r}: {list(specs['kernelspecs'])}"
        )

        status, session = lab.request(
            "POST",
            "/api/sessions",
            {
                "path": CHAPTER.name,
                "name": CHAPTER.name,
                "type": "notebook",
                "kernel": {"name": kernel_name},
            },
        )
        assert status == 201, session
        channel = KernelChannel(lab, session["kernel"]["id"], session["id"])
        try:
            probe = channel.execute(
                "import sys, dlnotes\nprint(sys.prefix)\nprint(dlnotes.__file__)"
            )
            prefix, package = stdout_of(probe).splitlines()
            assert Path(prefix) == Path(sys.prefix), (
                "the kernel does not run in the course environment"
            )
            assert Path(package).is_relative_to(ROOT / "src"), (
                f"dlnotes imported from {package}, not this course"
            )

            # The chapter's first code cells, in order: printed numbers as stored, and a figure.
            compared, images = 0, 0
            served = [c for c in cells if c["cell_type"] == "code"][:4]
            for cell, kept in zip(
                served, [c for c in stored["cells"] if c["cell_type"] == "code"][:4], strict=True
            ):
                outputs = channel.execute(cell["source"])
                tags = set(cell["metadata"].get("tags", []))
                if stdout_of(kept["outputs"]) and "nbval-ignore-output" not in tags:
                    assert stdout_of(outputs) == stdout_of(kept["outputs"])
                    compared += 1
                images += has_image(outputs)
            assert compared >= 1 and images >= 1, (
                "expected printed numbers and a figure from the first cells"
            )
        finally:
            channel.close()

        status, _ = lab.request("DELETE", f"/api/sessions/{session['id']}")
        assert status == 204
        assert lab.request("GET", "/api/kernels")[1] == [], "the kernel survived its session"

        status, _ = lab.request("POST", "/api/shutdown")
        assert status == 200
        assert server.wait(timeout=STEP_TIMEOUT) == 0


# --- the widgets respond in the JupyterLab page (headless Chromium, network blocked) ---------

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def widget_cell_index(notebook: dict) -> int:
    for index, cell in enumerate(notebook["cells"]):
        if any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", [])):
            return index
    raise AssertionError("the chapter shows no widget")


@pytest.fixture(scope="module")
def chromium():
    path = chromium_path()
    if path is None:
        skip_or_fail(
            "Chromium is needed for the JupyterLab widget check: `sudo apt-get install chromium`, "
            "or set CHROMIUM=/path/to/chromium"
        )
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                BLOCK_OUTSIDE,
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pings",
            ],
        )
        yield browser
        browser.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "chapter, control", [("gradient_descent", "slider"), ("edge_detection", "dropdown")]
)
def test_chapter_widgets_redraw_the_figure_in_jupyterlab(chromium, tmp_path, chapter, control):
    source = ROOT / "notebooks" / f"{chapter}.ipynb"
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(source, root / source.name)
    notebook = json.loads(source.read_text(encoding="utf-8"))
    index = widget_cell_index(notebook)

    with jupyter_lab(root, tmp_path) as (lab, _server):
        # Run the cells above the widget in the chapter's kernel over the websocket (quicker than
        # drawing them in the page); the page then joins this session, as on reopening a notebook.
        _, session = lab.request(
            "POST",
            "/api/sessions",
            {
                "path": source.name,
                "name": source.name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        channel = KernelChannel(lab, session["kernel"]["id"], session["id"])
        try:
            for cell in notebook["cells"][:index]:
                if cell["cell_type"] == "code" and "raises-exception" not in cell["metadata"].get(
                    "tags", []
                ):
                    channel.execute("".join(cell["source"]))
        finally:
            channel.close()

        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []

        def route(request_route):
            url = request_route.request.url
            if url.startswith((lab.url + "/", "data:", "blob:")):
                request_route.continue_()
            else:
                outside.append(url)
                request_route.abort()

        try:
            page = context.new_page()
            page.route("**/*", route)
            page.goto(f"{lab.url}/lab/tree/{source.name}?token={lab.token}")
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                " && window.jupyterapp.shell.currentWidget.sessionContext",
                timeout=STEP_TIMEOUT * 1000,
            )
            page.evaluate(
                """async (index) => {
                const panel = window.jupyterapp.shell.currentWidget;
                await panel.context.ready;
                await panel.sessionContext.ready;
                panel.content.activeCellIndex = index;
                await window.jupyterapp.commands.execute("notebook:run-cell");
                await panel.content.scrollToItem(index, "start");
            }""",
                index,
            )
            cell = page.locator(".jp-Notebook .jp-Cell.jp-mod-active")
            cell.locator(".jupyter-widgets").first.wait_for(timeout=STEP_TIMEOUT * 1000)
            figure = cell.locator(".jp-OutputArea img").first
            figure.wait_for(timeout=STEP_TIMEOUT * 1000)
            before = figure.get_attribute("src")

            if control == "slider":  # drag the learning-rate slider to the left, as with a mouse
                handle = cell.locator(".noUi-handle").first
                readout = cell.locator(".widget-readout").first
                value = readout.inner_text()
                box = handle.bounding_box()
                y = box["y"] + box["height"] / 2
                page.mouse.move(box["x"] + box["width"] / 2, y)
                page.mouse.down()
                page.mouse.move(box["x"] - 40, y, steps=5)
                page.mouse.up()
                page.wait_for_function(
                    "([el, old]) => el.innerText !== old", arg=[readout.element_handle(), value]
                )
            else:  # pick another preset kernel
                select = cell.locator("select").first
                options = select.locator("option").all_inner_texts()
                select.select_option(label=next(o for o in options if o != select.input_value()))

            page.wait_for_function(
                """([index, before]) => {
                    const cell = window.jupyterapp.shell.currentWidget.content.widgets[index].node;
                    const img = cell.querySelector(".jp-OutputArea img");
                    return img && img.src && img.src !== before;
                }""",
                arg=[index, before],
                timeout=STEP_TIMEOUT * 1000,
            )
            assert (
                cell.locator(
                    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                ).count()
                == 0
            )
            assert not outside, f"the JupyterLab page made requests off this machine: {outside[:5]}"
        finally:
            context.close()
