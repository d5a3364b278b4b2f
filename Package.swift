// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The data path's targets (and the log's, which builds records on it) skip the runtime's
/// exclusivity checks in release builds:
/// they cost several percent per request, and debug builds and tests keep them on.
let hotPath: [SwiftSetting] = strict + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "outguard",
    // Swift 6.2 (tools version above) and macOS 26 for the standard library's `UTF8Span`,
    // which checks stream text in place (Linux, where the daemon runs, has no OS floor).
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "outguard", targets: ["outguard"]),
        .library(name: "OutguardEngine", targets: ["OutguardEngine"]),
        .library(name: "OutguardConfig", targets: ["OutguardConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The admin listener only; its default traits would build swift-configuration, which
        // nothing here reads.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The data path records through swift-metrics' API only; the admin listener and
        // `serve` export it in Prometheus's text format.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries, each wrapped by exactly one Swift target.
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),
        .systemLibrary(
            name: "CHyperscan", pkgConfig: "libhs",
            providers: [.apt(["libvectorscan-dev"]), .brew(["vectorscan"])]),
        .systemLibrary(
            name: "CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),

        // Byte-level searches and JSON string escaping, which the data path and the log's encoder share.
        .target(name: "OutguardBytes", swiftSettings: hotPath),
        // Text in, verdict out. Knows PCRE2 and Vectorscan; knows nothing of YAML, files or HTTP.
        .target(
            name: "OutguardEngine",
            dependencies: ["CPCRE2", "CHyperscan"],
            swiftSettings: hotPath),
        // Rule files and daemon config: libyaml → RuleDefinitions → Policy, ServerConfig (with the
        // log's LogConfig), with file:line:col diagnostics.
        .target(
            name: "OutguardConfig",
            dependencies: [
                "OutguardEngine", "OutguardLog", "CYAML",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        // Violation records: the JSONL writer (bounded queue, batching, rotation), privacy
        // forms of matched text, the reader and queries the review tools share.
        .target(
            name: "OutguardLog",
            dependencies: [
                "OutguardBytes",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: hotPath),
        // Keep-alive HTTP/1.1 client connections on one event loop: the pool the upstream
        // and the classifier hooks share.
        .target(
            name: "OutguardConnections",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: hotPath),
        // The daemon's data path: SwiftNIO listener and upstream pool, provider adapters,
        // SSE/NDJSON framing, the built-in mock upstream.
        .target(
            name: "OutguardProxy",
            dependencies: [
                "OutguardBytes", "OutguardEngine", "OutguardConfig", "OutguardLog", "OutguardConnections",
                "OutguardHooks",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: hotPath),
        // Classifier hooks, the client side: the protocols' bodies, and a client per hook over
        // NIO HTTP/1.1 with keep-alive, timeouts, a concurrency bound, an LRU cache and a
        // circuit breaker; answers on the caller's event loop.
        .target(
            name: "OutguardHooks",
            dependencies: [
                "OutguardConfig", "OutguardConnections",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: hotPath),
        // The admin listener (Hummingbird), apart from the data path: health, readiness,
        // /metrics, the policy in force and reload, and the review page, whose Mustache
        // templates are compiled in.
        .target(
            name: "OutguardAdmin",
            dependencies: [
                "OutguardLog", "OutguardConfig", "OutguardEngine", "OutguardProxy", "OutguardHooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // The commands (serve, lint, test, scan, bench); a library so tests can drive them.
        .target(
            name: "OutguardCLI",
            dependencies: [
                "OutguardEngine", "OutguardConfig", "OutguardProxy", "OutguardLog", "OutguardAdmin", "OutguardHooks",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "outguard",
            dependencies: ["OutguardCLI"],
            swiftSettings: strict),

        // What several test targets share: a loopback port that refuses connections.
        .target(name: "OutguardTestSupport", path: "Tests/OutguardTestSupport", swiftSettings: strict),
        .testTarget(name: "OutguardBytesTests", dependencies: ["OutguardBytes"], swiftSettings: strict),
        .testTarget(
            name: "OutguardEngineTests",
            dependencies: [
                "OutguardEngine",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OutguardConfigTests",
            dependencies: [
                "OutguardConfig", "OutguardEngine", "OutguardLog",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OutguardLogTests",
            dependencies: [
                "OutguardLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OutguardProxyTests",
            dependencies: [
                "OutguardTestSupport",
                "OutguardProxy", "OutguardConfig", "OutguardEngine", "OutguardLog", "OutguardHooks",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OutguardHooksTests",
            dependencies: [
                "OutguardTestSupport",
                "OutguardHooks", "OutguardConfig",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OutguardAdminTests",
            dependencies: [
                "OutguardAdmin", "OutguardLog", "OutguardConfig", "OutguardProxy", "OutguardHooks",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "OutguardCLITests",
            dependencies: [
                "OutguardTestSupport",
                "OutguardCLI", "OutguardConfig", "OutguardEngine", "OutguardHooks",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
