#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine with Rust (the
# machine kind this project runs on), and does nothing when it is already
# there. `--for-tests` adds what only the tests need (browser, QR decoder,
# the end-to-end Node packages).
#
# Everything comes from the registries this machine reaches: Debian's
# packages, crates.io and npm. Nothing downloads prebuilt binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

for_tests=false
[ "${1:-}" = "--for-tests" ] && for_tests=true

say() { printf '\033[1;36m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages --------------------------------------------------------
apt_missing=()
# The Japanese font certificate images are set in.
[ -f /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf ] || apt_missing+=(fonts-ipaexfont-gothic)
command -v npm >/dev/null || apt_missing+=(nodejs npm)
if $for_tests; then
  command -v chromium >/dev/null || apt_missing+=(chromium)
  command -v zbarimg >/dev/null || apt_missing+=(zbar-tools)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# --- Rust toolchain pieces --------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! cargo leptos --version 2>/dev/null | grep -q '^cargo-leptos 0\.3\.5$'; then
  say "cargo install cargo-leptos@0.3.5 (about 26 minutes on 2 cores, once)"
  cargo install cargo-leptos@0.3.5 --locked
fi
# cargo-leptos uses the wasm-bindgen on PATH as it is, so it must be exactly
# the version the lockfile pins. Its own lockfile names a crate version the
# registry lacks, hence no --locked.
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${bindgen_version}\$"; then
  say "cargo install wasm-bindgen-cli@${bindgen_version}"
  cargo install wasm-bindgen-cli --version "${bindgen_version}" --force
fi
# wasm-opt shrinks the release WASM; cargo-leptos 0.3.5 expects version 123.
if ! wasm-opt --version 2>/dev/null | grep -q 'version 123'; then
  say "npm install -g binaryen@123"
  npm install -g --no-fund --no-audit binaryen@123 >/dev/null
fi

# --- A real SMTP server for the mail tests (PyPI's aiosmtpd) ----------------
if $for_tests && ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  say "pip install aiosmtpd"
  python3 -m pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi

# --- End-to-end test packages -----------------------------------------------
if $for_tests; then
  if [ ! -f end2end/node_modules/.package-lock.json ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "npm ci (end2end)"
    (cd end2end && npm ci --no-fund --no-audit >/dev/null)
  fi
fi
say "ready"
