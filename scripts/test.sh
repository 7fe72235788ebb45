#!/usr/bin/env bash
# Sets everything up and runs every test: unit and integration tests
# (cargo), then the end-to-end journey in headless Chromium at a phone
# viewport against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/setup.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo leptos build --release"
cargo leptos build --release

echo "== unit and integration tests"
# One cargo command for both packages: nimo_domain's `server` feature is on
# through nimo_server, as in the build above, so nothing compiles twice.
cargo test --release -p nimo_domain -p nimo_server

echo "== end-to-end tests (headless Chromium, 390x844)"
(cd end2end && node --test --test-reporter=spec tests/)

echo "== all tests passed in $(( $(date +%s) - started ))s"
