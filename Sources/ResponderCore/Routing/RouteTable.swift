/// A pool's routes in one list: the order a request is matched in, and (first
/// appearance of each label, then `unrouted`) the order of the scoreboard's endpoints.
public struct RouteTable<Context>: Sendable {
    public let routes: [Route<Context>]
    /// Every endpoint label, in a fixed order: a label's index is its place on the scoreboard.
    public let labels: [String]

    public static var unroutedName: String { "unrouted" }

    public init(_ routes: [Route<Context>]) {
        self.routes = routes
        var seen: [String] = []
        for route in routes where !seen.contains(route.label) { seen.append(route.label) }
        labels = seen + [Self.unroutedName]
    }

    /// Requests that match no route (404, 405) or never reached routing (413).
    public var unroutedLabel: Int { labels.count - 1 }

    /// Where a request goes, found once: its route (or why there is none) and its
    /// place on the scoreboard.
    public struct Resolution: Sendable {
        public let label: Int
        public let target: Result<(route: Route<Context>, parameter: String), ServiceError>
    }

    /// The route for a request (or the error that says why there is none) and its label.
    public func resolve(method: String, path: String) -> Resolution {
        for route in routes where route.path.matches(path) {
            guard route.methods.contains(method) else {
                return Resolution(label: unroutedLabel, target: .failure(.methodNotAllowed(allowed: route.methods.sorted())))
            }
            return Resolution(label: labels.firstIndex(of: route.label) ?? unroutedLabel,
                              target: .success((route, route.path.parameter(of: path))))
        }
        return Resolution(label: unroutedLabel, target: .failure(.notFound))
    }
}
