import ResponderCore

/// `GET /hello`: which worker this is, from configuration.
struct HelloEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: true) { json in
            json.field("uid", context.configuration.uid)
            json.field("uptime", context.clock() - context.poolStartedAt)
            json.field("country", context.configuration.country)
            json.field("region", context.configuration.region)
        }
        json.endObject()
        return .json(json)
    }
}
