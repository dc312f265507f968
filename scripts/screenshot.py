#!/usr/bin/env python3
"""Screenshots of kaigi pages in headless Chromium, signed in or not, for looking at them.

    python3 scripts/screenshot.py BASE_URL OUT_DIR [--as EMAIL PASSWORD] [--lang ja|en] [--width 1280] PATH...

Needs Debian's chromium and the websocket-client package. Signs in through the real login
form (so CSRF and cookies are exercised), then captures each path as OUT_DIR/<name>.png.
"""
import argparse, base64, json, os, re, subprocess, tempfile, time, urllib.request, urllib.parse, http.cookiejar

import websocket


def login(base, email, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf": csrf, "email": email, "password": password}).encode()
    opener.open(base + "/login", data)
    return [{"name": c.name, "value": c.value, "url": base + "/"} for c in jar]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("out")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--as", dest="account", nargs=2)
    ap.add_argument("--lang", default="ja")
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    cookies = login(args.base, *args.account) if args.account else []
    cookies.append({"name": "kaigi_lang", "value": args.lang, "url": args.base + "/"})
    profile = tempfile.mkdtemp()
    chrome = subprocess.Popen([
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--remote-debugging-port=9333", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                targets = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        ws = websocket.create_connection(page["webSocketDebuggerUrl"])
        counter = [0]

        def call(method, **params):
            counter[0] += 1
            ws.send(json.dumps({"id": counter[0], "method": method, "params": params}))
            while True:
                msg = json.loads(ws.recv())
                if msg.get("id") == counter[0]:
                    return msg.get("result", {})

        call("Network.enable")
        call("Network.setCookies", cookies=cookies)
        call("Emulation.setDeviceMetricsOverride", width=args.width, height=900, deviceScaleFactor=1, mobile=args.width < 600)
        for path in args.paths:
            call("Emulation.setDeviceMetricsOverride", width=args.width, height=900, deviceScaleFactor=1, mobile=args.width < 600)
            call("Page.navigate", url=args.base + path)
            time.sleep(1.0)
            height = call("Runtime.evaluate", expression="document.documentElement.scrollHeight", returnByValue=True)["result"]["value"]
            call("Emulation.setDeviceMetricsOverride", width=args.width, height=min(int(height), 4000), deviceScaleFactor=1, mobile=args.width < 600)
            shot = call("Page.captureScreenshot", format="png")
            name = re.sub(r"[^a-zA-Z0-9]+", "_", path).strip("_") or "home"
            with open(os.path.join(args.out, f"{name}-{args.lang}-{args.width}.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            print(name)
    finally:
        chrome.kill()


if __name__ == "__main__":
    main()
