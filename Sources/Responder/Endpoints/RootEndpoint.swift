import ResponderCore

/// `GET /`: an empty object, as the forum's health check expects.
struct RootEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        Response(body: Array("{}".utf8))
    }
}
