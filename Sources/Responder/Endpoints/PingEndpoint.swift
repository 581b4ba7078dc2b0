import ResponderCore

/// `GET /ping`: liveness with the pool's uptime.
struct PingEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: true) { json in
            json.field("message", "pong")
            json.field("uptime", context.clock() - context.poolStartedAt)
        }
        json.endObject()
        return .json(json)
    }
}
