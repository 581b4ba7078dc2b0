import ResponderCore

/// Sends a request to its endpoint and turns every failure into the JSON error shape.
struct Router {
    let context: EndpointContext

    /// Handles a request already routed (the responder routes once, for its metrics too).
    func handle(_ request: Request, routed resolution: Routes.Resolution) -> (Response, ServiceError?) {
        do throws(ServiceError) {
            let secret = context.configuration.sharedSecret
            if !secret.isEmpty && !constantTimeEquals(request.workerSecret ?? "", secret) { throw .unauthorized }
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

/// Compares without stopping at the first difference, so timing tells nothing about the secret.
func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
    let a = Array(given.utf8)
    let b = Array(expected.utf8)
    var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
    for index in 0..<b.count {
        difference |= (index < a.count ? a[index] : 0) ^ b[index]
    }
    return difference == 0 && a.count == b.count
}
