#!/usr/bin/env bash
# What the browser tests (tests/browser) need besides the Python packages:
#   Debian's Chromium, driven by Playwright through its executable path (Playwright's own browser
#   download is never used), and axe-core from the npm registry, for the accessibility checks.
# Installs only what is missing; safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
say() { echo "browser.sh: $*" >&2; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]} from Debian's packages"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
fi

cd "$ROOT/tests/browser"
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing axe-core (tests/browser/package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error >&2
fi
say "ready: $(chromium --version 2>/dev/null | head -n 1), axe-core $(node -p "require('./node_modules/axe-core/package.json').version")"
