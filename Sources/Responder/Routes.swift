import ResponderCore

/// Every route of the worker, in one table: method and path to endpoint.
enum Routes {
    enum Path: Sendable {
        case exact(String)
        /// A path under a prefix; the rest is the endpoint's parameter (e.g. `{box}`).
        case prefix(String)

        func matches(_ path: String) -> Bool {
            switch self {
            case .exact(let exact): path == exact
            case .prefix(let prefix): path.hasPrefix(prefix)
            }
        }

        /// What a prefix route leaves over of a matching path.
        func parameter(of path: String) -> String {
            switch self {
            case .exact: ""
            case .prefix(let prefix): String(path.dropFirst(prefix.count))
            }
        }
    }

    struct Route: Sendable {
        /// The endpoint's name in metrics.
        let label: String
        let methods: Set<String>
        let path: Path
        let endpoint: any Endpoint
    }

    static let table: [Route] = contractRoutes + debugRoutes

    private static let contractRoutes: [Route] = [
        Route(label: "root", methods: ["GET", "HEAD"], path: .exact("/"), endpoint: RootEndpoint()),
        Route(label: "ping", methods: ["GET", "HEAD"], path: .exact("/ping"), endpoint: PingEndpoint()),
        Route(label: "hello", methods: ["GET", "HEAD"], path: .exact("/hello"), endpoint: HelloEndpoint()),
        Route(label: "status", methods: ["GET", "HEAD"], path: .exact("/status"), endpoint: StatusEndpoint()),
        Route(label: "metrics", methods: ["GET", "HEAD"], path: .exact("/metrics"), endpoint: MetricsEndpoint()),
        Route(label: "info", methods: ["GET", "POST"], path: .exact("/images/info"), endpoint: InfoEndpoint()),
        Route(label: "prepare_jpeg", methods: ["GET", "POST"], path: .exact("/images/prepare_jpeg"), endpoint: PrepareJpegEndpoint()),
        Route(label: "fit", methods: ["GET", "POST"], path: .prefix("/images/fit/"), endpoint: FitEndpoint()),
        Route(label: "rescale_avatar", methods: ["GET", "POST"], path: .exact("/images/rescale_avatar"), endpoint: AvatarEndpoint()),
        Route(label: "resize_avatar", methods: ["GET", "POST"], path: .exact("/images/resize_avatar"), endpoint: AvatarEndpoint()),
    ]

    #if DEBUG
    /// Fault injection for the tests; compiled out of release builds.
    private static let debugRoutes: [Route] = [
        Route(label: "debug", methods: ["GET"], path: .prefix("/debug/sleep/"), endpoint: DebugSleepEndpoint()),
        Route(label: "debug", methods: ["GET", "POST"], path: .prefix("/debug/crash/"), endpoint: DebugCrashEndpoint()),
        Route(label: "debug", methods: ["GET"], path: .prefix("/debug/leak/"), endpoint: DebugLeakEndpoint()),
        Route(label: "debug", methods: ["GET"], path: .exact("/debug/escape"), endpoint: DebugEscapeEndpoint()),
        Route(label: "debug", methods: ["GET"], path: .prefix("/debug/lie/"), endpoint: DebugLieEndpoint()),
    ]
    #else
    private static let debugRoutes: [Route] = []
    #endif

    /// Every endpoint label, in a fixed order: a label's index is its place on the scoreboard.
    static let labels: [String] = {
        var seen: [String] = []
        for route in table where !seen.contains(route.label) { seen.append(route.label) }
        return seen + ["unrouted"]
    }()

    /// Requests that match no route (404, 405) or never reached routing (413).
    static var unroutedLabel: Int { labels.count - 1 }

    /// Where a request goes, found once: its endpoint (or why there is none) and its
    /// place on the scoreboard.
    struct Resolution {
        let label: Int
        let target: Result<(any Endpoint, parameter: String), ServiceError>
    }

    /// The endpoint for a request (or the error that says why there is none) and its label.
    static func route(method: String, path: String) -> Resolution {
        for route in table where route.path.matches(path) {
            guard route.methods.contains(method) else {
                return Resolution(label: unroutedLabel, target: .failure(.methodNotAllowed(allowed: route.methods.sorted())))
            }
            return Resolution(label: labels.firstIndex(of: route.label) ?? unroutedLabel,
                              target: .success((route.endpoint, route.path.parameter(of: path))))
        }
        return Resolution(label: unroutedLabel, target: .failure(.notFound))
    }
}
