/// What a responder sends back: status, headers and body bytes.
public struct Response: Sendable {
    public var status: Int
    public var contentType: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Facts about the input for the request log (name, value), e.g. its type and size.
    public var logFacts: [(String, String)] = []

    public static let jsonType = "application/json;charset=utf-8"

    public init(status: Int = 200, contentType: String = Response.jsonType, headers: [(String, String)] = [],
                body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// This response, with facts about its input for the request log.
    public func logging(_ facts: [(String, String)]) -> Response {
        var described = self
        described.logFacts = facts
        return described
    }

    /// A JSON response from a writer that holds one finished object.
    public static func json(_ writer: JSONWriter, status: Int = 200) -> Response {
        Response(status: status, body: writer.bytes)
    }

    /// An answer that is the envelope alone: `{"status":"ok","success":true}`.
    public static var ok: Response {
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: true)
        json.endObject()
        return .json(json)
    }

    /// The error shape of the API: status, success, message, code.
    public static func error(_ error: ServiceError) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: false)
        json.field("message", error.publicMessage)
        json.field("code", error.code)
        if case .fetchFailed(_, let status?) = error { json.field("target_status", status) }
        json.endObject()
        var response = Response.json(json, status: error.status)
        switch error {
        case .overloaded: response.headers.append(("Retry-After", "1"))
        case .methodNotAllowed(let allowed): response.headers.append(("Allow", allowed.joined(separator: ", ")))
        default: break
        }
        return response
    }

    /// The usage document answered to GET on a processing endpoint.
    public static func usage(_ sentence: String) -> Response {
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: true)
        json.field("usage", sentence)
        json.endObject()
        return .json(json)
    }

    /// The CGI-style header block libfcgi expects before the body.
    public var headerBlock: [UInt8] {
        var text = "Status: \(status) \(Self.reason(status))\r\nContent-Type: \(contentType)\r\n"
        text += "Content-Length: \(body.count)\r\nX-Content-Type-Options: nosniff\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    public static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Payload Too Large"
        case 422: "Unprocessable Entity"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 499: "Client Closed Request"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
