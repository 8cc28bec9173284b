#!/usr/bin/env bash
# Renders a `randwire grade` summary.html to a PNG with a headless Chromium, to look at the page
# as a browser draws it. Installs nothing: without chromium (Debian's `chromium`,
# `chromium-browser`, `google-chrome` or `google-chrome-stable` on PATH) it says so and exits 0.
#
#   Scripts/render-summary.sh grades/summary.html summary.png [WIDTHxHEIGHT]
#
# The window defaults to 1600x2400 so the whole table, the bars and the first student sections
# fit in one screenshot; pass a size for a taller class.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 SUMMARY.html OUT.png [WIDTHxHEIGHT]" >&2
    exit 64
fi
page=$1
out=$2
size=${3:-1600x2400}
if [ ! -f "$page" ]; then
    echo "$0: no such file: $page" >&2
    exit 66
fi
case $size in
    *x*) width=${size%x*}; height=${size#*x} ;;
    *) echo "$0: size must be WIDTHxHEIGHT, got $size" >&2; exit 64 ;;
esac

browser=""
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
        browser=$(command -v "$candidate")
        break
    fi
done
if [ -z "$browser" ]; then
    echo "$0: no Chromium found on PATH (looked for chromium, chromium-browser, google-chrome, google-chrome-stable)."
    echo "Install one to render the page (Debian/Ubuntu: apt-get install chromium), or open $page in any browser:"
    echo "it is a single self-contained file."
    exit 0
fi

# Absolute paths: Chromium resolves file URLs and --screenshot paths from its own cwd.
page_path=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
out_dir=$(cd "$(dirname "$out")" && pwd)
out_path=$out_dir/$(basename "$out")
profile=$(mktemp -d "${TMPDIR:-/tmp}/render-summary.XXXXXX")
trap 'rm -rf "$profile"' EXIT

# --no-sandbox only when running as root (containers, CI), where the sandbox cannot start.
sandbox=()
if [ "$(id -u)" = 0 ]; then sandbox=(--no-sandbox); fi

"$browser" --headless --disable-gpu "${sandbox[@]}" --hide-scrollbars \
    --user-data-dir="$profile" --no-first-run --no-default-browser-check \
    --window-size="$width,$height" --screenshot="$out_path" "file://$page_path" >/dev/null 2>&1 || {
    echo "$0: $browser failed to render $page" >&2
    exit 1
}
if [ ! -s "$out_path" ]; then
    echo "$0: $browser wrote no screenshot" >&2
    exit 1
fi
echo "rendered $page to $out_path (${width}x${height}) with $browser"
