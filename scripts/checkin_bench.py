#!/usr/bin/env python3
"""1,000 residents check in to one session within 60 s over loopback.

Usage: checkin_bench.py BASE_URL INVITATION_URL COUNT SPREAD_SECONDS
SPREAD_SECONDS 0 sends all check-ins at once (16 at a time: the worst
case); 60 spreads their arrivals evenly over a minute (a venue's doors).

Registers N learners (each its own cookie, from rotating loopback addresses
as a school's phones behind NAT would not, but the per-address join limit is
not what is measured), signs in a secretariat account, reads the current
code from the instructor's screen (re-read every 20 s, as the screen
reloads), then sends the N check-ins from 16 threads, bounded in time.
Prints p50/p99/max latency and the number of errors. Stdlib only.
"""
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

base, invitation, count, spread = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port
DEADLINE = 60.0


def request(method, path, cookie=None, body=None, source=None):
    conn = http.client.HTTPConnection(host, port, timeout=10, source_address=(source, 0) if source else None)
    headers = {"accept": "text/html", "origin": base}
    if cookie:
        headers["cookie"] = cookie
    if body is not None:
        headers["content-type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, response.getheader("set-cookie") or "", response.getheader("location") or "", data


def cookie_of(set_cookie, name):
    match = re.search(name + r"=([^;]+)", set_cookie)
    return f"{name}={match.group(1)}" if match else None


# The secretariat account from the printed invitation.
token = urllib.parse.parse_qs(urllib.parse.urlsplit(invitation).query)["token"][0]
status, set_cookie, _, _ = request(
    "POST", "/api/staff/accept", body={"token": token, "password": "bench passphrase 2026", "password_again": "bench passphrase 2026"}
)
staff = cookie_of(set_cookie, "nimo_staff")
assert staff, f"accept failed: {status}"

learners = []
started = time.time()
batch = int(time.time()) % 50
for i in range(count):
    source = f"127.{1 + batch}.{1 + i // 200}.{2 + i % 200}"
    status, set_cookie, location, _ = request(
        "POST", "/api/join", body={"code": "TOKYO1", "name": f"計測 {i}", "municipality": "新宿区"}, source=source
    )
    learner = cookie_of(set_cookie, "nimo_learner")
    assert status in (302, 303) and learner, f"join {i}: {status} {location}"
    learners.append((learner, source))
print(f"registered {count} learners in {time.time() - started:.1f} s")

current = {"token": None, "at": 0.0}
lock = threading.Lock()


def code():
    with lock:
        if time.time() - current["at"] > 20:
            _, _, _, page = request("GET", "/staff/sessions/TOKYO1/checkin", cookie=staff)
            match = re.search(rb"/checkin/([A-Za-z0-9_-]{90,110})", page)
            assert match, "no code on the screen"
            current["token"], current["at"] = match.group(1).decode(), time.time()
        return current["token"]


latencies, errors = [], []
begin = time.time()


def check_in(indexed):
    index, (cookie, source) = indexed
    due = begin + spread * index / count
    if due > time.time():
        time.sleep(due - time.time())
    if time.time() - begin > DEADLINE + 5:
        errors.append("deadline")
        return
    t0 = time.perf_counter()
    status, _, location, _ = request("POST", "/api/check_in", cookie=cookie, body={"token": code()}, source=source)
    elapsed = (time.perf_counter() - t0) * 1000
    if status in (302, 303) and location == "/my/attendance":
        latencies.append(elapsed)
    else:
        errors.append(f"{status} {location}")


with ThreadPoolExecutor(max_workers=16 if spread == 0 else 64) as pool:
    list(pool.map(check_in, enumerate(learners)))
took = time.time() - begin
latencies.sort()
pick = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] if latencies else float("nan")
print(
    f"check-in ({'all at once' if spread == 0 else f'over {spread:.0f} s'})  n={len(latencies)} in {took:.1f} s  p50 {pick(0.5):.2f} ms  p99 {pick(0.99):.2f} ms  "
    f"max {latencies[-1] if latencies else float('nan'):.2f} ms  errors {len(errors)}"
)
_, _, _, page = request("GET", "/staff/sessions/TOKYO1/checkin", cookie=staff)
counted = re.search(r"受付済み (\d+) 人".encode(), page)
print(f"screen counts {counted.group(1).decode() if counted else '?'} checked in")
if errors:
    print("first errors:", errors[:5])
    sys.exit(1)
