#!/usr/bin/env bash
# Sets everything up and runs every test: unit and integration tests
# (cargo), then the end-to-end journey in headless Chromium at a phone
# viewport against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/setup.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"

echo "== SMTP server on loopback (aiosmtpd) for the mail tests"
smtp_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mail_root=$(mktemp -d)
# The Maildir handler creates the folder itself (tmp/, new/, cur/).
maildir="${mail_root}/maildir"
python3 -m aiosmtpd -n -l "127.0.0.1:${smtp_port}" -c aiosmtpd.handlers.Mailbox "${maildir}" 2>"${mail_root}/smtp.log" &
smtp_pid=$!
trap 'kill ${smtp_pid} 2>/dev/null; rm -rf "${mail_root}"' EXIT
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/${smtp_port}") 2>/dev/null && break; sleep 0.1; done
export TEST_SMTP_PORT="${smtp_port}" TEST_MAILDIR="${maildir}"

echo "== unit and integration tests"
# Release profile, like the site build below, so the two share compiled
# dependencies. LEPTOS_OUTPUT_NAME is read by Leptos at compile time; the
# same value as cargo-leptos gives keeps the rebuild below small.
LEPTOS_OUTPUT_NAME=nimo cargo test --release -p nimo_domain -p nimo_server

echo "== cargo leptos build --release"
# After the tests: their build relinks the server binary, and the
# end-to-end tests need the one cargo-leptos builds.
cargo leptos build --release

echo "== end-to-end tests (headless Chromium, 390x844)"
(cd end2end && node --test --test-reporter=spec tests/)

echo "== all tests passed in $(( $(date +%s) - started ))s"
