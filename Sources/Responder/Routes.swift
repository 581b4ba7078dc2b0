/// Every route of the worker, in one table: method and path to endpoint.
enum Routes {
    enum Path: Sendable {
        case exact(String)
        /// A path under a prefix; the rest is the endpoint's parameter (e.g. `{box}`).
        case prefix(String)
    }

    struct Route: Sendable {
        let methods: Set<String>
        let path: Path
        let endpoint: any Endpoint
    }

    static let table: [Route] = contractRoutes + debugRoutes

    private static let contractRoutes: [Route] = [
        Route(methods: ["GET", "HEAD"], path: .exact("/"), endpoint: RootEndpoint()),
        Route(methods: ["GET", "HEAD"], path: .exact("/ping"), endpoint: PingEndpoint()),
        Route(methods: ["GET", "HEAD"], path: .exact("/hello"), endpoint: HelloEndpoint()),
        Route(methods: ["GET", "POST"], path: .exact("/images/info"), endpoint: InfoEndpoint()),
        Route(methods: ["GET", "POST"], path: .exact("/images/prepare_jpeg"), endpoint: PrepareJpegEndpoint()),
        Route(methods: ["GET", "POST"], path: .prefix("/images/fit/"), endpoint: FitEndpoint()),
        Route(methods: ["GET", "POST"], path: .exact("/images/rescale_avatar"), endpoint: AvatarEndpoint()),
        Route(methods: ["GET", "POST"], path: .exact("/images/resize_avatar"), endpoint: AvatarEndpoint()),
    ]

    #if DEBUG
    /// Fault injection for the tests; compiled out of release builds.
    private static let debugRoutes: [Route] = [
        Route(methods: ["GET"], path: .prefix("/debug/sleep/"), endpoint: DebugSleepEndpoint()),
        Route(methods: ["GET"], path: .exact("/debug/crash"), endpoint: DebugCrashEndpoint()),
    ]
    #else
    private static let debugRoutes: [Route] = []
    #endif

    /// The endpoint for a request, or the error that says why there is none.
    static func resolve(method: String, path: String) -> Result<(any Endpoint, parameter: String), ServiceError> {
        for route in table {
            let parameter: String
            switch route.path {
            case .exact(let exact):
                guard path == exact || path == exact + "/" && exact != "/" else { continue }
                parameter = ""
            case .prefix(let prefix):
                guard path.hasPrefix(prefix) else { continue }
                parameter = String(path.dropFirst(prefix.count))
            }
            guard route.methods.contains(method) else { return .failure(.methodNotAllowed) }
            return .success((route.endpoint, parameter))
        }
        return .failure(.notFound)
    }
}
