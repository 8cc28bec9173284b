#!/usr/bin/env bash
# A randwire binary that runs without Swift (issue 16). Builds a release binary with the Swift
# standard library and Foundation linked in statically, copies it to dist/, strips it, proves it
# needs no library from the Swift toolchain, and measures its size and start-up time.
#
#   Scripts/release.sh                    # several minutes on 2 cores the first time
#
# Writes:
#   dist/randwire-linux-ARCH              the stripped binary, the release artifact
#   dist/randwire-linux-ARCH.unstripped   the same with its symbols, for symbolicating crashes
#   dist/randwire-linux-ARCH.sha256       its checksum (the CI examples' RANDWIRE_SHA256)
#   dist/release-facts.txt                size, what ldd lists, start-up times (also printed)
#
# Checks, each fatal with one line on stderr:
#   - ldd lists no library from the toolchain (nothing under its usr/lib, no libswift*,
#     libFoundation*, libdispatch, libBlocksRuntime, ICU) and nothing "not found";
#   - copied alone into an empty temporary folder and run with an empty environment
#     (env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH=), `randwire --version` prints the version and
#     `randwire check --self --profile bare` passes.
# Start-up: median of 10 runs of `--version` (exec to exit), and of `serve --profile bare
# --port 0` from exec to its first line on stdout, as Scripts/bench.sh measures it.
#
# The build uses its own scratch folder, .build-release, so it never disturbs the debug build.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

fail() { echo "release.sh: FAIL: $*" >&2; exit 1; }
log() { echo "release.sh: $*" >&2; }

command -v swift >/dev/null || fail "swift is not on PATH (the build needs a Swift 6 toolchain; the result does not)"
[[ "$(uname -s)" == Linux ]] || fail "a static Swift standard library is a Linux build; this is $(uname -s)"
command -v ldd >/dev/null || fail "ldd is missing (glibc's libc-bin)"
command -v python3 >/dev/null || fail "python3 is missing (it times the start-up)"

arch="$(uname -m)"
scratch="$repo/.build-release"
dist="$repo/dist"
artifact="$dist/randwire-linux-$arch"
facts="$dist/release-facts.txt"
# The toolchain's root: swift is TOOLCHAIN/usr/bin/swift; its runtime libraries are under usr/lib.
toolchain="$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../.." && pwd)"

log "building release with --static-swift-stdlib in .build-release…"
swift build -c release --static-swift-stdlib --product randwire --scratch-path "$scratch" >&2 \
    || fail "swift build -c release --static-swift-stdlib failed (output above)"
built="$(swift build -c release --static-swift-stdlib --scratch-path "$scratch" --show-bin-path)/randwire"
[[ -x "$built" ]] || fail "no binary at $built after the build"

mkdir -p "$dist"
cp "$built" "$artifact.unstripped"
cp "$built" "$artifact"
if command -v strip >/dev/null; then
    strip "$artifact" || fail "strip $artifact failed"
    stripped=yes
else
    log "no strip on PATH: the artifact keeps its symbols"
    stripped=no
fi
chmod 755 "$artifact"
command -v sha256sum >/dev/null && (cd "$dist" && sha256sum "randwire-linux-$arch" >"randwire-linux-$arch.sha256")

# What the dynamic loader still has to find.
ldd_output="$(ldd "$artifact" 2>&1)" || fail "ldd $artifact failed: $ldd_output"
if grep -q "not found" <<<"$ldd_output"; then
    fail "ldd: a library is not found: $(grep "not found" <<<"$ldd_output" | tr -s ' \t' ' ' | paste -sd ';')"
fi
toolchain_libs="$(grep -E "$toolchain/usr/lib|libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu|libXCTest|libTesting" \
    <<<"$ldd_output" || true)"
if [[ -n "$toolchain_libs" ]]; then
    fail "the binary still loads toolchain libraries: $(tr -s ' \t' ' ' <<<"$toolchain_libs" | paste -sd ';')"
fi
# One line per library: its name and where this system resolves it.
remaining="$(awk '{ if ($2 == "=>") print $1 " => " $3; else print $1 }' <<<"$ldd_output")"

# Run it alone, from an empty folder, with no Swift library reachable.
bare="$(mktemp -d "${TMPDIR:-/tmp}/randwire-release.XXXXXX")"
trap 'rm -rf "$bare"' EXIT
cp "$artifact" "$bare/randwire"
run_bare() { (cd "$bare" && env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= ./randwire "$@"); }

version="$(run_bare --version 2>&1)" || fail "--version from a bare folder exited non-zero: $version"
[[ -n "$version" ]] || fail "--version from a bare folder printed nothing"
log "from a bare folder with an empty environment: $version"
check_output="$(run_bare check --self --profile bare 2>&1)" \
    || fail "check --self --profile bare from a bare folder failed: $(tail -n 3 <<<"$check_output" | paste -sd ' ')"
log "check --self --profile bare from a bare folder: passed ($(tail -n 1 <<<"$check_output"))"

# Start-up time, from the bare folder, in the same empty environment.
log "timing start-up (10 runs each)…"
timings="$(python3 - "$bare" <<'EOF'
import signal, statistics, subprocess, sys, time
folder = sys.argv[1]
binary = folder + "/randwire"
bare = {"cwd": folder, "env": {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""}}
version = []
for _ in range(10):
    began = time.perf_counter()
    subprocess.run([binary, "--version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, **bare)
    version.append((time.perf_counter() - began) * 1000)
serve = []
for _ in range(10):
    began = time.perf_counter()
    process = subprocess.Popen([binary, "serve", "--profile", "bare", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, **bare)
    line = process.stdout.readline()
    serve.append((time.perf_counter() - began) * 1000)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if not line:
        sys.exit("serve --profile bare --port 0 printed no line")
print(f"{statistics.median(version):.1f} {statistics.median(serve):.1f}")
EOF
)" || fail "timing the start-up failed: $timings"
read -r version_ms serve_ms <<<"$timings"

bytes="$(stat -c %s "$artifact")"
unstripped_bytes="$(stat -c %s "$artifact.unstripped")"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

{
    echo "randwire static release binary, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "version:    $version"
    echo "commit:     $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' (with uncommitted changes to Sources)')"
    echo "toolchain:  $(swift --version 2>&1 | head -n 1)"
    echo "build:      swift build -c release --static-swift-stdlib --product randwire --scratch-path .build-release"
    echo "artifact:   dist/randwire-linux-$arch (stripped: $stripped)"
    [[ -f "$artifact.sha256" ]] && echo "sha256:     $(cut -d' ' -f1 "$artifact.sha256")"
    echo "size:       $(mib "$bytes") MiB ($bytes bytes); unstripped $(mib "$unstripped_bytes") MiB ($unstripped_bytes bytes)"
    echo "start-up:   --version ${version_ms} ms; serve --profile bare --port 0 to its first line ${serve_ms} ms (medians of 10, from a bare folder, empty environment)"
    echo "bare run:   --version and check --self --profile bare pass from an empty folder with env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH="
    echo "ldd:        no toolchain library; what remains (system libraries):"
    sed 's/^/    /' <<<"$remaining"
} >"$facts"
cat "$facts"
