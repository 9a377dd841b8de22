#!/usr/bin/env bash
# Render the demo log's HTML report in headless Chromium to a PNG: the picture in the README.
#
#   docs/screenshot.sh [OUT.png]      (default: docs/report.png)
#
# Needs Debian's chromium package and logsync importable by $PYTHON (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-docs/report.png}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${PYTHON:-python3}" -m logsync report --format html sample_logs/CloudUserSync.log > "$work/report.html"
# No network at all: the page needs none, and Chromium's own background calls are switched off.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1000,1250 --screenshot="$out" "file://$work/report.html" 2>/dev/null
test -s "$out"
