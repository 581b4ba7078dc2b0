/// A pool's routes served: what every pool does the same way, once. The shared secret
/// is checked before anything else (an unknown path without it is 401, not 404), then
/// 404 or 405 with `Allow`, the usage document on a bare GET, and every failure turned
/// into the JSON error shape.
public struct RoutedService<Context>: Service {
    public let table: RouteTable<Context>
    public let context: Context
    /// `RW_SHARED_SECRET`; empty for no check.
    public let secret: String

    public init(table: RouteTable<Context>, context: Context, secret: String) {
        self.table = table
        self.context = context
        self.secret = secret
    }

    public var unroutedLabel: Int { table.unroutedLabel }

    public func route(method: String, path: String) -> RoutedRequest {
        let resolution = table.resolve(method: method, path: path)
        return RoutedRequest(label: resolution.label) { request in handle(request, resolution) }
    }

    /// Answers a request already resolved (the serving loop resolves once, for its metrics too).
    public func handle(_ request: Request, _ resolution: RouteTable<Context>.Resolution) -> (Response, ServiceError?) {
        do throws(ServiceError) {
            guard SharedSecret.admits(request, secret: secret) else { throw .unauthorized }
            let (route, parameter) = try resolution.target.get()
            if let usage = route.usage, usage.applies(to: request) { return (.usage(usage.sentence(context)), nil) }
            var routed = request
            routed.routeParameter = parameter
            return (try route.handler(routed, context), nil)
        } catch {
            return (.error(error), error)
        }
    }
}
