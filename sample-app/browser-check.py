#!/usr/bin/env python3
"""The chat page in a real browser: headless Chromium, driven over the DevTools protocol (--remote-debugging-pipe,
so the standard library is enough), talks with a second chat client written here on a raw socket.

    browser-check.py BASE_URL SCREENSHOT_PNG

1. The peer (raw socket, RFC 6455 framing by hand) joins the chat.
2. Chromium opens BASE_URL/chat.html, waits for "connected", types a name and a message into the form and sends it.
3. The peer must receive the browser's message; it answers, and the browser's page must show the answer.
4. A screenshot of the page goes to SCREENSHOT_PNG.
Exit status 0 only when both directions worked. sample-app/browser-check.sh starts the application and calls this.
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse

TIMEOUT_S = 30
BROWSER_TEXT = "hello from Chromium"
PEER_TEXT = "hello Chromium, this is the peer on a raw socket"


class Peer:
    """A chat client on a raw socket: the handshake and frames written by hand, masked as a client must."""

    def __init__(self, base_url):
        url = urllib.parse.urlsplit(base_url)
        self.sock = socket.create_connection((url.hostname, url.port or 80), timeout=TIMEOUT_S)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /chat/ws HTTP/1.1\r\nHost: {url.netloc}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Origin: {url.scheme}://{url.netloc}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("peer: connection closed during the handshake")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise RuntimeError(f"peer: handshake answered {status!r}")

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("peer: connection closed")
            data += chunk
        return data

    def receive(self):
        """The next text message (the server sends each chat message in one unfragmented frame)."""
        first, second = self._exact(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._exact(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._exact(8))[0]
        payload = self._exact(length)
        if first & 0x0F != 1:
            raise RuntimeError(f"peer: expected a text frame, got opcode {first & 0x0F}")
        return payload.decode("utf-8")

    def send(self, text):
        payload = text.encode("utf-8")
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)


class Browser:
    """Headless Chromium over --remote-debugging-pipe: JSON messages ending in NUL, commands on fd 3, answers on fd 4."""

    def __init__(self):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        self.profile = f"/tmp/browser-check-profile-{os.getpid()}"
        args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                "--no-first-run", "--hide-scrollbars", f"--user-data-dir={self.profile}", "about:blank"]
        # fds 3 and 4 in the child are our pipe ends, as --remote-debugging-pipe expects: copied out of the way
        # first (one of them may be 3 or 4 already), then into place; the child closes every other fd after this.
        def child_fds():
            reading, writing = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(reading, 3)
            os.dup2(writing, 4)
        self.process = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=child_fds,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.session = None

    def command(self, method, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = os.read(self.from_browser, 65536)
                if not chunk:
                    raise RuntimeError("browser: the pipe closed")
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"browser: {method}: {answer['error']}")
                return answer.get("result", {})

    def open_page(self, url):
        pages = [t for t in self.command("Target.getTargets")["targetInfos"] if t["type"] == "page"]
        self.session = self.command("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)["sessionId"]
        self.command("Emulation.setDeviceMetricsOverride", width=760, height=560, deviceScaleFactor=1, mobile=False)
        self.command("Page.navigate", url=url)

    def evaluate(self, expression):
        return self.command("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression, what):
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.1)
        raise RuntimeError(f"browser: {what} did not happen within {TIMEOUT_S} s")

    def type_into(self, selector, text):
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.command("Input.insertText", text=text)

    def press_enter(self):
        for kind in ("keyDown", "keyUp"):
            self.command("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                         text="\r" if kind == "keyDown" else "")

    def screenshot(self, path):
        data = self.command("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        self.process.kill()
        self.process.wait()
        subprocess.run(["rm", "-rf", self.profile], check=False)


def main():
    base_url, screenshot = sys.argv[1].rstrip("/"), sys.argv[2]
    peer = Peer(base_url)
    heard = {}

    def listen():
        try:
            while True:
                message = json.loads(peer.receive())
                if message["name"] == "chromium":
                    heard["browser"] = message["text"]
                    peer.send(json.dumps({"name": "peer", "text": PEER_TEXT}))
                    return
        except Exception as ex:  # reported below as "did not hear the browser"
            heard["error"] = repr(ex)

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    browser = Browser()
    try:
        browser.open_page(base_url + "/chat.html")
        browser.wait_for("document.getElementById('status').textContent === 'connected'", "the page connecting")
        extensions = browser.evaluate("document.getElementById('status').dataset.extensions")
        print(f"browser connected; negotiated extensions: {extensions or 'none'!r}")
        browser.type_into("#name", "chromium")
        browser.type_into("#text", BROWSER_TEXT)
        browser.press_enter()
        listener.join(TIMEOUT_S)
        if heard.get("browser") != BROWSER_TEXT:
            raise RuntimeError(f"peer: did not hear the browser's message ({heard})")
        print(f"peer heard the browser: {heard['browser']!r}")
        browser.wait_for(f"Array.from(document.querySelectorAll('#messages li'))"
                         f".some(li => li.textContent === 'peer:' + {json.dumps(PEER_TEXT)})",
                         "the peer's answer showing on the page")
        print(f"browser shows the peer's answer: {PEER_TEXT!r}")
        browser.evaluate("document.getElementById('text').blur()")
        browser.screenshot(screenshot)
        print(f"screenshot: {screenshot}")
    finally:
        browser.close()
        peer.sock.close()


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as ex:
        print(f"FAILED: {ex}", file=sys.stderr)
        sys.exit(1)
