#!/usr/bin/env bash
# Render an HTML page of logsync in headless Chromium to a PNG (the picture in the README).
#
#   docs/screenshot.sh [OUT.png] [WIDTH] [-- LOGSYNC ARGS...]
#
# By default: the demo log's report, 1000 px wide, to docs/report.png. For example the page of
# a nine-day log in a 600 px window:
#
#   docs/screenshot.sh nine-days.png 600 -- report --format html nine-days.log
#
# Needs Debian's chromium package and logsync importable by $PYTHON (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-docs/report.png}")"
width="${2:-1000}"
shift $(( $# < 2 ? $# : 2 ))
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then
    set -- report --format html sample_logs/CloudUserSync.log
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${PYTHON:-python3}" -m logsync "$@" > "$work/page.html" || [ $? -eq 1 ]
# No network at all: the page needs none, and Chromium's own background calls are switched off.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$width,1400" --screenshot="$out" "file://$work/page.html" 2>/dev/null
test -s "$out"
