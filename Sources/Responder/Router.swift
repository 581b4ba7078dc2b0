import ResponderCore

/// Sends a request to its endpoint and turns every failure into the JSON error shape.
struct Router {
    let context: EndpointContext

    /// Handles a request already routed (the responder routes once, for its metrics too).
    func handle(_ request: Request, routed resolution: Routes.Resolution) -> (Response, ServiceError?) {
        do throws(ServiceError) {
            guard SharedSecret.admits(request, secret: context.configuration.sharedSecret) else { throw .unauthorized }
            switch resolution.target {
            case .failure(let error):
                throw error
            case .success(let (endpoint, parameter)):
                var routed = request
                routed.routeParameter = parameter
                return (try endpoint.respond(to: routed, in: context), nil)
            }
        } catch {
            return (.error(error), error)
        }
    }
}
