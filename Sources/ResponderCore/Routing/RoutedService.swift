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
    /// Awaited work cannot run here: a pool that has it serves with `respond(to:_:)`.
    public func handle(_ request: Request, _ resolution: RouteTable<Context>.Resolution) -> (Response, ServiceError?) {
        do throws(ServiceError) {
            switch try admitted(request, resolution) {
            case .answered(let response): return (response, nil)
            case .work(.now(let handler), let routed): return (try handler(routed, context), nil)
            case .work(.awaited, _): throw .internalError(detail: "an awaited route served without an event loop")
            }
        } catch {
            return (.error(error), error)
        }
    }

    /// Answers a request already resolved, awaiting the route's work when it waits.
    public func respond(to request: Request, _ resolution: RouteTable<Context>.Resolution) async -> (Response, ServiceError?) {
        let route = try? resolution.target.get().route
        do throws(ServiceError) {
            switch try admitted(request, resolution) {
            case .answered(let response): return (response, nil)
            case .work(.now(let handler), let routed): return (try handler(routed, context), nil)
            case .work(.awaited(let handler), let routed): return (try await handler(routed, context), nil)
            }
        } catch {
            var response = Response.error(error)
            response.headers += route?.errorHeaders?(error) ?? []
            return (response, error)
        }
    }

    private enum Admission {
        case answered(Response)
        case work(Route<Context>.Work, Request)
    }

    /// What every route shares before its work: the secret, the route, the usage document.
    private func admitted(_ request: Request, _ resolution: RouteTable<Context>.Resolution) throws(ServiceError) -> Admission {
        let target = resolution.target
        if !SharedSecret.admits(request, secret: secret) {
            // Without the secret only a request signed for its route goes on (an unknown path stays 401).
            guard case .success(let (route, _)) = target, let signed = route.admitsSigned, signed(request, context) else {
                throw .unauthorized
            }
        }
        let (route, parameter) = try target.get()
        if let usage = route.usage, usage.applies(to: request) { return .answered(.usage(usage.sentence(context))) }
        var routed = request
        routed.routeParameter = parameter
        return .work(route.work, routed)
    }
}
