#!/usr/bin/env bash
# Sets everything up, builds the release site and serves it with demo data
# on an SQLite file: http://127.0.0.1:3000 (override with LEPTOS_SITE_ADDR).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo leptos build --release
export LEPTOS_OUTPUT_NAME=nimo
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export DATA_DIR="${DATA_DIR:-./data}"
export DEMO_DATA="${DEMO_DATA:-1}"
echo "Serving on http://${LEPTOS_SITE_ADDR} (data in ${DATA_DIR}; demo session codes TOKYO1, OSAKA2, KOBE03)"
exec target/release/nimo_server
