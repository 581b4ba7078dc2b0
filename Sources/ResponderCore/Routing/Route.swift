/// One route of a pool: which methods and paths it takes, what answers them, and the
/// label its requests are counted under. `Context` is what the pool's handlers share
/// (its settings, its libraries, its scoreboard).
public struct Route<Context>: Sendable {
    public enum Path: Sendable, Equatable {
        case exact(String)
        /// A path under a prefix; the rest is the handler's parameter (e.g. `{box}`).
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

        /// The path as the OpenAPI document writes it: a prefix route's parameter in braces.
        public func documented(parameter name: String) -> String {
            switch self {
            case .exact(let exact): exact
            case .prefix(let prefix): prefix + "{\(name)}"
            }
        }
    }

    /// When a GET is answered with the route's usage document instead of its work.
    public struct Usage: Sendable {
        /// The sentence, which may name the pool's settings (e.g. the largest box).
        let sentence: @Sendable (Context) -> String
        /// A GET with this query parameter does the work instead (`/links/preview?url=`).
        let unlessQuery: String?

        public init(unlessQuery: String? = nil, _ sentence: @escaping @Sendable (Context) -> String) {
            self.sentence = sentence
            self.unlessQuery = unlessQuery
        }

        public init(unlessQuery: String? = nil, _ sentence: String) {
            self.init(unlessQuery: unlessQuery) { _ in sentence }
        }

        func applies(to request: Request) -> Bool {
            guard request.method == "GET" || request.method == "HEAD" else { return false }
            guard let unlessQuery else { return true }
            return request.query[unlessQuery] == nil
        }
    }

    public typealias Handler = @Sendable (Request, Context) throws(ServiceError) -> Response
    /// Work that waits (on the network): run as a task on a pool's event loop.
    public typealias AsyncHandler = @Sendable (Request, Context) async throws(ServiceError) -> Response

    /// What answers the route: work done at once, or work awaited on an event loop.
    public enum Work: Sendable {
        case now(Handler)
        case awaited(AsyncHandler)
    }

    /// The endpoint's name in metrics and on the status page.
    public let label: String
    public let methods: Set<String>
    public let path: Path
    public let usage: Usage?
    /// The route's name for its parameter in the OpenAPI document (`box` of `/images/fit/{box}`).
    public let parameterName: String
    public let work: Work
    /// Says whether a request is signed for this route (a member's browser with a link the forum
    /// signed): such a request needs no shared secret. nil: every request needs it.
    public var admitsSigned: (@Sendable (Request, Context) -> Bool)?
    /// Headers an error answer of this route gets (how long a cache may keep it).
    public var errorHeaders: (@Sendable (ServiceError) -> [(String, String)])?

    public init(_ label: String, _ methods: Set<String>, _ path: Path, parameter: String = "parameter",
                usage: Usage? = nil, handler: @escaping Handler) {
        self.init(label, methods, path, parameter: parameter, usage: usage, work: .now(handler))
    }

    public init(_ label: String, _ methods: Set<String>, _ path: Path, parameter: String = "parameter",
                usage: Usage? = nil, awaiting handler: @escaping AsyncHandler) {
        self.init(label, methods, path, parameter: parameter, usage: usage, work: .awaited(handler))
    }

    private init(_ label: String, _ methods: Set<String>, _ path: Path, parameter: String, usage: Usage?, work: Work) {
        self.label = label
        self.methods = methods
        self.path = path
        self.usage = usage
        self.parameterName = parameter
        self.work = work
    }

    /// The path as the OpenAPI document names it.
    public var documentedPath: String { path.documented(parameter: parameterName) }
}
