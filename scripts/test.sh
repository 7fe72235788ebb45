#!/usr/bin/env bash
# Sets everything up and runs every test: unit and integration tests
# (cargo), then the end-to-end journey in headless Chromium at a phone
# viewport against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
scripts/setup.sh --for-tests
export PATH="$HOME/.cargo/bin:$PATH"

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
