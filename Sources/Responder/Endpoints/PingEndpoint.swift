import ResponderCore

/// `GET /ping`: liveness with the pool's uptime.
struct PingEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.field("status", "ok")
        json.field("message", "pong")
        json.field("uptime", context.clock() - context.poolStartedAt)
        json.field("success", true)
        json.endObject()
        return .json(json)
    }
}
