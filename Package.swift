// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "remote-worker",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "remote-worker", targets: ["RemoteWorker"]),
        .executable(name: "remote-worker-preview", targets: ["PreviewWorker"]),
        .executable(name: "remote-worker-bench", targets: ["ImageBench"]),
        .executable(name: "remote-worker-fuzz", targets: ["ParserFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // System libraries: a module map and an umbrella header each, nothing else.
        // libvips' own .pc drags in OpenEXR's "-pthread", which SwiftPM refuses with a
        // warning; vips.h needs only GLib's headers, and the module map links libvips.
        .systemLibrary(name: "CVips", pkgConfig: "gobject-2.0", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CFCGI", pkgConfig: "fcgi", providers: [.apt(["libfcgi-dev"])]),
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // libxml2 behind opaque handles: its headers include the system ICU, which must never
        // meet Foundation's in a Swift module, so only this C target includes them.
        .target(name: "CXMLShim", dependencies: ["CXML2"]),

        // Fixed-arity wrappers over libvips' variadic API.
        .target(name: "CVipsShim", dependencies: ["CVips"]),
        // Process plumbing Swift cannot express safely: sockets, signals, spawning.
        // The C-facing layer for the process side, one module per concern.
        .target(name: "CProcessControl", dependencies: ["CSharedMemory"]),
        .target(name: "CSandbox", exclude: ["responder_syscalls.inc", "fetcher_syscalls.inc"]),
        .target(name: "CSharedMemory"),
        .target(name: "CServiceManager"),
        // The debug build's sandbox-escape probe; compiles to nothing in a release build.
        .target(name: "CEscapeProbe", cSettings: [.define("RW_DEBUG_ROUTES", .when(configuration: .debug))]),

        // One bounds-checked byte reader for every parser of untrusted bytes.
        .target(name: "Bytes"),
        // prepare_jpeg: location out, orientation applied losslessly; no libvips.
        .target(name: "JPEGMetadata", dependencies: ["Bytes", "CExif", "CTurboJPEG", "CXMLShim"]),
        .target(name: "ImageKit", dependencies: ["Bytes", "JPEGMetadata", "CVips", "CVipsShim", "CMagic"]),
        // The one reader of Content-Type (and Content-Disposition) values.
        .target(name: "HTTPContentType"),
        .target(name: "Upload", dependencies: ["Bytes", "HTTPContentType"]),
        // Link previews: which links and addresses may be fetched, the fetch, the card.
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
        // IPv4 and IPv6 addresses read one strict way, for settings and links alike.
        .target(name: "NetworkAddress"),
        .target(name: "LinkPreview", dependencies: ["NetworkAddress", "CXMLShim", "CCurlShim"]),
        // Links the forum signs for members' browsers (HMAC-SHA256 by OpenSSL's libcrypto).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "LinkSigning", dependencies: ["CCrypto"]),
        .target(name: "WorkerConfig", dependencies: ["NetworkAddress"]),
        // Pool state shared by the supervisor and its responders.
        .target(name: "Scoreboard", dependencies: ["CSharedMemory"]),
        // What every responder shares, whatever it serves: FastCGI, the serving loop,
        // the sandbox, the error shape, logging. No image library, no network library.
        .target(name: "ResponderCore", dependencies: [
            "WorkerConfig", "NetworkAddress", "Scoreboard", "CFCGI", "CProcessControl", "CSandbox",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The image endpoints: decoding happens here, in processes with no network.
        .target(name: "Responder", dependencies: [
            "ResponderCore", "ImageKit", "JPEGMetadata", "Upload", "WorkerConfig", "Scoreboard", "CProcessControl", "CSandbox",
            "CEscapeProbe",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Supervisor", dependencies: [
            "WorkerConfig", "Scoreboard", "CProcessControl", "CSandbox", "CServiceManager",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Link previews: fetching in processes of their own, which load no image library.
        .target(name: "Previewer", dependencies: [
            "ResponderCore", "LinkPreview", "LinkSigning", "NetworkAddress", "HTTPContentType", "WorkerConfig", "Scoreboard", "CProcessControl", "CSandbox",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "PreviewWorker", dependencies: ["Previewer", "ResponderCore", "Scoreboard", "WorkerConfig"]),
        .executableTarget(name: "RemoteWorker", dependencies: [
            "Responder", "ResponderCore", "Supervisor", "WorkerConfig", "Scoreboard",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The image work without HTTP, for benchmarks.
        .executableTarget(name: "ImageBench", dependencies: ["ImageKit", "JPEGMetadata", "Upload"]),
        // Fuzz targets for the parsers of untrusted bytes (`make fuzz`); a replayer otherwise.
        .executableTarget(name: "ParserFuzz", dependencies: ["Bytes", "ImageKit", "JPEGMetadata", "LinkPreview", "ResponderCore", "Upload"]),

        .testTarget(name: "BytesTests", dependencies: ["Bytes"]),
        .testTarget(name: "JPEGMetadataTests", dependencies: ["JPEGMetadata"]),
        .testTarget(name: "ImageKitTests", dependencies: ["ImageKit"]),
        .testTarget(name: "UploadTests", dependencies: ["Upload", "HTTPContentType"]),
        .testTarget(name: "HTTPContentTypeTests", dependencies: ["HTTPContentType"]),
        .testTarget(name: "NetworkAddressTests", dependencies: ["NetworkAddress"]),
        .testTarget(name: "LinkPreviewTests", dependencies: ["LinkPreview", "NetworkAddress"]),
        .testTarget(name: "LinkSigningTests", dependencies: ["LinkSigning"]),
        .testTarget(name: "LinkPreviewFetchTests", dependencies: ["LinkPreview", "NetworkAddress"]),
        .testTarget(name: "WorkerConfigTests", dependencies: ["WorkerConfig"]),
        .testTarget(name: "ResponderCoreTests", dependencies: ["ResponderCore", "NetworkAddress", "Scoreboard"]),
        .testTarget(name: "ResponderTests", dependencies: ["Responder", "Previewer", "ResponderCore", "Scoreboard"]),
        .testTarget(name: "PreviewerTests", dependencies: [
            "Previewer", "ResponderCore", "LinkPreview", "NetworkAddress", "WorkerConfig", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor"]),
        .testTarget(name: "ScoreboardTests", dependencies: ["Scoreboard"]),
        .testTarget(name: "RemoteWorkerTests", dependencies: ["RemoteWorker", "WorkerConfig"]),
        .testTarget(name: "IntegrationTests", dependencies: []),
    ]
)
