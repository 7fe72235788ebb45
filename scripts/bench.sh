#!/usr/bin/env bash
# Prints the figures the project tracks:
#   - compressed size (gzip -9, brotli -q 11) of the JS+WASM a learner page loads;
#   - 1,000 residents checking in to one session within 60 s: p50/p99/errors;
#   - server-side response time of the home page and of a certificate's verify
#     page (curl's time_total over loopback, N sequential requests each, after
#     a warm-up), as p50 / p95 / max in milliseconds.
# Uses the release build in target/ (run scripts/run.sh or scripts/test.sh first).
# Bounded: N requests per page (default 300), a fresh temporary data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-300}"
command -v brotli >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq brotli >/dev/null; }
bin="${BIN:-target/release/nimo_server}"
[ -x "$bin" ] || { echo "build first: cargo leptos build --release" >&2; exit 1; }

echo "== bundle (what /join loads; every other page loads no JS or WASM)"
total_gz=0; total_br=0
for f in target/site/pkg/nimo.js target/site/pkg/nimo.wasm; do
  raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-28s raw %7d B   gzip %7d B   brotli %7d B\n' "$f" "$raw" "$gz" "$br"
done
printf '%-28s                gzip %7d B   brotli %7d B\n' "JS+WASM total" "$total_gz" "$total_br"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
LEPTOS_OUTPUT_NAME=nimo LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  DATA_DIR="$data" PUBLIC_URL="http://127.0.0.1:$port" DEMO_DATA=1 RUST_LOG=warn "$bin" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

cli() { LEPTOS_OUTPUT_NAME=nimo DATA_DIR="$data" PUBLIC_URL="$base" RUST_LOG=error "$bin" "$@"; }
invitation() { cli invite-secretariat "$1" 計測 2>/dev/null | grep -o 'http[^ ]*/staff/accept?token=[A-Za-z0-9_-]*' | head -1; }

echo "== check-in: ${CHECKINS:-1000} residents check in to one session within 60 s (loopback)"
python3 scripts/checkin_bench.py "$base" "$(invitation bench-spread@example.jp)" "${CHECKINS:-1000}" 60
python3 scripts/checkin_bench.py "$base" "$(invitation bench-burst@example.jp)" "${CHECKINS:-1000}" 0

# One resident completes the course, to get a real verify URL: joins,
# works through the units, passes the self-check, checks in with the code
# on the instructor's screen, and the session is closed.
jar="$data/cookies"; staff="$data/staff-cookies"
post() { curl -s -o /dev/null -b "$jar" -c "$jar" -H 'accept: text/html' "$base$1" "${@:2}"; }
post /api/join --data-urlencode code=TOKYO1 --data-urlencode name='計測 太郎' --data-urlencode municipality=新宿区
for m in intro knowledge recovery support-basics four-steps group-work elective-self-care; do
  post /api/complete_module --data-urlencode module_id=$m
done
answers=$(grep -E '^answer = ' content/programmes/kokoro-supporter/programme.toml | awk '{print $3}' | paste -sd' ')
args=(); i=1; for a in $answers; do args+=(--data-urlencode "answers[q$i]=$a"); i=$((i+1)); done
post /api/submit_self_check "${args[@]}"
token=$(invitation bench-close@example.jp | sed 's/.*token=//')
curl -s -o /dev/null -c "$staff" -H 'accept: text/html' "$base/api/staff/accept" --data-urlencode "token=$token" \
  --data-urlencode 'password=bench passphrase 2026' --data-urlencode 'password_again=bench passphrase 2026'
code=$(curl -s -b "$staff" "$base/staff/sessions/TOKYO1/checkin" | grep -o '/checkin/[A-Za-z0-9_-]*' | head -1 | sed 's|/checkin/||')
post /api/check_in --data-urlencode "token=$code"
curl -s -o /dev/null -b "$staff" -H 'accept: text/html' "$base/api/staff/close_session" --data-urlencode code=TOKYO1
verify=$(curl -s -b "$jar" "$base/certificate" | grep -o "$base/v/[A-Za-z0-9_-]*" | head -1)
[ -n "$verify" ] || { echo "could not complete the course" >&2; exit 1; }
curl -s -b "$jar" -o target/bench-certificate.png "$base/certificate.png"

measure() { # name url
  # Requests come from rotating loopback addresses (127.0.0.2-51): the
  # verify page is rate-limited per address, and a 429 is not what we time.
  # Any answer other than 200 stops the script.
  for i in $(seq 1 20); do curl -s -o /dev/null --interface "127.0.0.$((2 + i % 50))" "$2"; done
  for i in $(seq 1 "$N"); do
    curl -s -o /dev/null --interface "127.0.0.$((2 + i % 50))" -w '%{http_code} %{time_total}\n' "$2"
  done | awk '$1 != 200 { print "unexpected status " $1 > "/dev/stderr"; exit 1 } { print $2 }' | sort -n | awk -v name="$1" '
    { t[NR] = $1 * 1000 }
    END { printf "%-14s n=%d  p50 %.2f ms  p95 %.2f ms  max %.2f ms\n", name, NR, t[int(NR*0.5)], t[int(NR*0.95)], t[NR] }'
}
echo "== server response time over loopback (sequential)"
measure "home /" "$base/"
measure "verify /v/…" "$verify"
measure "stats API" "$base/api/v1/stats/national"
# A probe write (committed) at most once a second, a free-space check always.
measure "healthz" "$base/healthz"
# A write path: joins, each from a fresh cookie jar (BEGIN IMMEDIATE, fsync'd commit).
for i in $(seq 1 "$N"); do
  curl -s -o /dev/null -H 'accept: text/html' -H "origin: $base" --interface "127.0.0.$((2 + i % 50))" \
    -w '%{http_code} %{time_total}\n' "$base/api/join" \
    --data-urlencode code=TOKYO1 --data-urlencode "name=計測 $i" --data-urlencode municipality=新宿区
done | awk '$1 != 302 { print "unexpected status " $1 > "/dev/stderr"; exit 1 } { print $2 }' | sort -n | awk '
  { t[NR] = $1 * 1000 }
  END { printf "%-14s n=%d  p50 %.2f ms  p95 %.2f ms  max %.2f ms\n", "join (write)", NR, t[int(NR*0.5)], t[int(NR*0.95)], t[NR] }'

echo "certificate image saved to target/bench-certificate.png"
