#!/usr/bin/env python3
"""Screenshots of a running Odoo, as a user sees it, in headless Chromium.

    tools/screenshot.py [--base http://127.0.0.1:8069] [--login agent.hanoi]
        [--width 1400] [--height 900] [--wait 4] [--accept-lang vi-VN,vi]
        URL_PATH OUT.png [URL_PATH OUT.png ...]

Logs in through /web/login (the password of the demo users is their login; give
--password otherwise, or --login '' for a visitor), then opens each path and saves a
PNG. It drives Chromium over the DevTools protocol with websocket-client, which the
virtualenv of tools/bootstrap.sh has: run it with that interpreter, e.g.
``~/.cache/customer_care/venv/py3.11-*/bin/python tools/screenshot.py /odoo a.png``.
Nothing here is used by the tests; it is how we look at pages before calling them done.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, width, height, accept_lang="vi-VN,vi"):
        exe = next(
            (
                shutil.which(b)
                for b in ("chromium", "google-chrome", "chromium-browser")
                if shutil.which(b)
            ),
            None,
        )
        if not exe:
            sys.exit("Chromium not found (apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="cc_shot_")
        port = free_port()
        self.proc = subprocess.Popen(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                f"--window-size={width},{height}",
                f"--accept-lang={accept_lang}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    pages = [p for p in json.load(r) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            sys.exit("Chromium did not start")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0
        self.call("Page.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        self.ws.send(json.dumps(msg))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def goto(self, url, wait):
        self.call("Page.navigate", url=url)
        deadline = time.time() + 30
        while time.time() < deadline:
            state = self.call("Runtime.evaluate", expression="document.readyState")
            if state.get("result", {}).get("value") == "complete":
                break
            time.sleep(0.2)
        time.sleep(wait)

    def js(self, expression):
        return self.call("Runtime.evaluate", expression=expression, awaitPromise=True)

    def shot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="http://127.0.0.1:8069")
    ap.add_argument("--login", default="agent.hanoi")
    ap.add_argument("--password")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--wait", type=float, default=4.0, help="seconds after load")
    ap.add_argument(
        "--accept-lang",
        default="vi-VN,vi",
        help="the browser's languages: the portal and the login page follow them until "
        "the visitor picks another language (en-US for English pages)",
    )
    ap.add_argument("pairs", nargs="+", help="URL_PATH OUT.png ...")
    args = ap.parse_args(argv)
    if len(args.pairs) % 2:
        ap.error("give URL_PATH OUT.png pairs")
    browser = Browser(args.width, args.height, args.accept_lang)
    try:
        if args.login:
            browser.goto(f"{args.base}/web/login", 1)
            password = args.password or args.login
            browser.js(
                "document.querySelector('input[name=login]').value = "
                f"{json.dumps(args.login)};"
                "document.querySelector('input[name=password]').value = "
                f"{json.dumps(password)};"
                "document.querySelector('form.oe_login_form').submit();"
            )
            time.sleep(3)
        for path, out in zip(args.pairs[::2], args.pairs[1::2], strict=True):
            browser.goto(args.base + path, args.wait)
            browser.shot(out)
            print(f"{path} -> {os.path.abspath(out)}")
    finally:
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
