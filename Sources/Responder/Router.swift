/// Sends a request to its endpoint and turns every failure into the JSON error shape.
struct Router {
    let context: EndpointContext

    func handle(_ request: Request) -> (Response, ServiceError?) {
        do throws(ServiceError) {
            switch Routes.resolve(method: request.method, path: request.path) {
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
