// swift-tools-version:6.0
// RandWire: a wire spec, reference server and client, and a conformance runner for the
// "random number over TCP" protocol family. No package dependencies, by design.
import PackageDescription

let package = Package(
    name: "RandWire",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "randwire", targets: ["randwire"]),
        .library(name: "RandWireProtocol", targets: ["RandWireProtocol"]),
    ],
    targets: [
        // Protocol model, grammar, codecs, requirement IDs. Pure Swift: no I/O, no Foundation.
        .target(name: "RandWireProtocol"),
        // Black-box statistics for the randomness checks. Pure math: libm through the C shim's <math.h>.
        .target(name: "RandWireStatistics", dependencies: ["CRandWireMath"]),
        // epoll / eventfd / accept4, which `import Glibc` does not export.
        .target(name: "CRandWireSystem"),
        // libm (<math.h>) for the statistics: math only, not the OS seam.
        .target(name: "CRandWireMath"),
        // POSIX sockets: addresses, non-blocking fds with deadlines, the event loop.
        .target(name: "RandWireSocket", dependencies: ["CRandWireSystem"]),
        // The reference server: one epoll loop per core serving a profile.
        .target(name: "RandWireServer", dependencies: ["RandWireProtocol", "RandWireSocket"]),
        // The reference client: one exchange with deadlines, multi-endpoint failover.
        .target(name: "RandWireClient", dependencies: ["RandWireProtocol", "RandWireSocket"]),
        // The conformance engine: checks, fixtures, sampling, verdicts, probe.
        .target(
            name: "RandWireConformance",
            dependencies: ["RandWireProtocol", "RandWireSocket", "RandWireStatistics"]
        ),
        // Report writers: human, JSON, JUnit, TAP, Gradescope.
        .target(name: "RandWireReports", dependencies: ["RandWireConformance", "RandWireProtocol"]),
        // Whole-class grading: rosters, rubrics, student processes, class summaries.
        .target(
            name: "RandWireGrading",
            dependencies: ["RandWireConformance", "RandWireReports", "RandWireProtocol", "RandWireSocket"]
        ),
        // Load generator with an HDR-style histogram.
        .target(name: "RandWireBench", dependencies: ["RandWireProtocol", "RandWireSocket"]),
        // A small argument parser with generated help, in the style of swift-argument-parser.
        .target(name: "RandWireArguments"),
        // The `randwire` subcommands, as a library so tests can run them in-process.
        .target(
            name: "RandWireCLI",
            dependencies: [
                "RandWireArguments", "RandWireProtocol", "RandWireSocket", "RandWireServer", "RandWireClient",
                "RandWireConformance", "RandWireReports", "RandWireGrading", "RandWireBench",
            ]
        ),
        .executableTarget(name: "randwire", dependencies: ["RandWireCLI"]),
        // Helpers only tests use: seed-program replicas, faulty servers, process runners, async grading.
        .target(
            name: "RandWireTestSupport",
            dependencies: ["RandWireProtocol", "RandWireSocket", "RandWireConformance", "RandWireGrading"]
        ),

        .testTarget(name: "RandWireProtocolTests", dependencies: ["RandWireProtocol"]),
        // reference_values.py computes the pinned values independently; tests never run it.
        .testTarget(name: "RandWireStatisticsTests", dependencies: ["RandWireStatistics"], exclude: ["reference_values.py"]),
        .testTarget(name: "RandWireSocketTests", dependencies: ["RandWireSocket", "RandWireTestSupport"]),
        .testTarget(
            name: "RandWireServerTests",
            dependencies: ["RandWireServer", "RandWireClient", "RandWireProtocol", "RandWireSocket", "RandWireTestSupport"]
        ),
        .testTarget(
            name: "RandWireConformanceTests",
            dependencies: [
                "RandWireConformance", "RandWireServer", "RandWireProtocol", "RandWireSocket",
                "RandWireStatistics", "RandWireTestSupport",
            ]
        ),
        .testTarget(
            name: "RandWireReportsTests",
            dependencies: ["RandWireReports", "RandWireConformance", "RandWireProtocol", "RandWireStatistics", "RandWireTestSupport"]
        ),
        .testTarget(
            name: "RandWireGradingTests",
            dependencies: [
                "RandWireGrading", "RandWireTestSupport", "RandWireConformance", "RandWireReports",
                "RandWireProtocol", "RandWireSocket",
            ],
            // Student programs the tests run as child processes.
            exclude: ["Students"]
        ),
        .testTarget(
            name: "RandWireBenchTests",
            dependencies: ["RandWireBench", "RandWireServer", "RandWireTestSupport", "RandWireProtocol", "RandWireSocket"]
        ),
        .testTarget(name: "RandWireArgumentsTests", dependencies: ["RandWireArguments"]),
        .testTarget(
            name: "RandWireCLITests",
            dependencies: ["RandWireCLI", "RandWireTestSupport", "RandWireProtocol", "RandWireServer", "RandWireSocket"]
        ),
    ]
)
