#!/usr/bin/env bash
# Builds the libFuzzer targets under Fuzz/Targets and runs each for SECONDS (default 30).
# Exits non-zero when a target crashes, breaks an invariant, leaks or times out; the input is
# left in .build-fuzz/artifacts/<target>/ (replay: .build-fuzz/<target> <file>).
#
#   Scripts/fuzz.sh [SECONDS] [TARGET...]      targets: framing decimal judge parameters fixtures
#   FUZZ_BUILD_ONLY=1 Scripts/fuzz.sh          build, do not run
#
# Each target starts from its seed corpus Fuzz/corpus/<target>/ plus whatever earlier runs
# found (.build-fuzz/corpus/<target>/, not committed). Needs a Swift toolchain with libFuzzer
# (Linux: swiftc -sanitize=fuzzer).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
all_targets=(framing decimal judge parameters fixtures)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

out=.build-fuzz
mkdir -p "$out/modules"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -use-ld=lld -package-name RandWire)
protocol_sources=(Sources/RandWireProtocol/*.swift)
support=Fuzz/Targets/FuzzSupport.swift

# Rebuild a product only when one of its inputs is newer than it.
stale() {
    local product=$1
    shift
    [ ! -e "$product" ] && return 0
    local file
    for file in "$@"; do [ "$file" -nt "$product" ] && return 0; done
    return 1
}

build_protocol_module() {
    # RandWireProtocol and RandWireStatistics as real modules, for the fixture loader's imports.
    if stale "$out/modules/RandWireProtocol.o" "${protocol_sources[@]}"; then
        swiftc "${flags[@]}" -module-name RandWireProtocol -emit-module -emit-module-path "$out/modules/RandWireProtocol.swiftmodule" \
            -c -wmo "${protocol_sources[@]}" -o "$out/modules/RandWireProtocol.o"
    fi
    # RandWireStatistics imports CRandWireMath (<math.h> only, no symbols of its own), so its
    # header gets a module map here, next to the modules that import it.
    printf 'module CRandWireMath {\n    header "../../Sources/CRandWireMath/include/CRandWireMath.h"\n    export *\n}\n' \
        >"$out/modules/module.modulemap"
    local statistics=(Sources/RandWireStatistics/*.swift)
    if stale "$out/modules/RandWireStatistics.o" "${statistics[@]}" Sources/CRandWireMath/include/CRandWireMath.h; then
        swiftc -sanitize=address -parse-as-library -O -g -swift-version 6 -package-name RandWire -module-name RandWireStatistics -emit-module \
            -I "$out/modules" -emit-module-path "$out/modules/RandWireStatistics.swiftmodule" -c -wmo "${statistics[@]}" -o "$out/modules/RandWireStatistics.o"
    fi
}

build() {
    local target=$1
    local harness=Fuzz/Targets/$target.swift
    case $target in
    fixtures)
        build_protocol_module
        local conformance=(Sources/RandWireConformance/Fixture.swift Sources/RandWireConformance/FixtureLoader.swift
            Sources/RandWireConformance/EmbeddedFixtures.swift Sources/RandWireConformance/CheckModel.swift
            Sources/RandWireConformance/Verdict.swift Sources/RandWireConformance/JSONSyntaxScan.swift)
        if stale "$out/$target" "$harness" "$support" "${conformance[@]}" "$out/modules/RandWireProtocol.o" "$out/modules/RandWireStatistics.o"; then
            swiftc "${flags[@]}" -module-name RandWireConformance -I "$out/modules" "${conformance[@]}" "$support" "$harness" \
                "$out/modules/RandWireProtocol.o" "$out/modules/RandWireStatistics.o" -o "$out/$target"
        fi
        ;;
    *)
        # The harness joins the protocol module itself: internal API is in reach, no @testable needed.
        if stale "$out/$target" "$harness" "$support" "${protocol_sources[@]}"; then
            swiftc "${flags[@]}" -module-name RandWireProtocol "${protocol_sources[@]}" "$support" "$harness" -o "$out/$target"
        fi
        ;;
    esac
}

for target in "${targets[@]}"; do
    [ -f "Fuzz/Targets/$target.swift" ] || { echo "fuzz: no target '$target' (have: ${all_targets[*]})" >&2; exit 64; }
    echo "fuzz: building $target" >&2
    build "$target"
done
[ -n "${FUZZ_BUILD_ONLY:-}" ] && exit 0

failed=()
for target in "${targets[@]}"; do
    corpus=$out/corpus/$target
    artifacts=$out/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    dictionary=()
    [ -f "Fuzz/dict/$target.dict" ] && dictionary=(-dict="Fuzz/dict/$target.dict")
    echo "fuzz: running $target for ${seconds}s" >&2
    log=$out/$target.log
    if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$out/$target" "$corpus" "Fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "${dictionary[@]}" >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        echo "fuzz: $target ok ($runs executions)" >&2
    else
        echo "fuzz: $target FAILED; log: $log; input in $artifacts/" >&2
        grep -E 'ERROR|Fatal error|invariant|SUMMARY' "$log" | head -n 5 >&2 || true
        failed+=("$target")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${seconds}s each without a crash" >&2
