/// One HTTP request as nginx forwarded it, built once from the FastCGI
/// parameters before routing: endpoints never see libfcgi.
public struct Request: Sendable {
    public var method: String
    /// The path without the query string, e.g. `/images/fit/200`.
    public var path: String
    public var query: [String: String]
    public var contentType: String?
    public var body: [UInt8]
    /// nginx's `$request_id`, or one made up here.
    public var requestID: String
    /// The `X-Remote-Worker-Secret` header, when sent.
    public var workerSecret: String?
    /// The `Accept` header, when sent (for `?format=auto`).
    public var accept: String?
    /// The `Via` header, when sent: a request that passed through this worker's own fetch carries its mark.
    public var via: String?
    /// The `X-Preview-Refresh` header was sent: the operator asks past nginx's cache.
    public var refresh = false
    /// nginx passed the request through the operator's access rules (`RW_OPERATOR_ACCESS`).
    public var operatorAccess = false
    /// The part of the path a prefix route leaves over, e.g. `200` of `/images/fit/200`.
    public var routeParameter = ""

    public init(method: String, path: String, query: [String: String] = [:], contentType: String? = nil,
                body: [UInt8] = [], requestID: String = "-") {
        self.method = method
        self.path = path
        self.query = query
        self.contentType = contentType
        self.body = body
        self.requestID = requestID
    }

    /// A request as its FastCGI parameters describe it (the names nginx's `fastcgi_params` send).
    public init(parameters: [String: String], body: [UInt8]) {
        self.init(method: parameters["REQUEST_METHOD"] ?? "GET",
                  path: parameters["DOCUMENT_URI"] ?? String((parameters["REQUEST_URI"] ?? "/").prefix { $0 != "?" }),
                  query: Self.parseQuery(parameters["QUERY_STRING"] ?? ""),
                  contentType: parameters["CONTENT_TYPE"].flatMap { $0.isEmpty ? nil : $0 }, body: body,
                  requestID: parameters["REQUEST_ID"] ?? parameters["HTTP_X_REQUEST_ID"] ?? "-")
        workerSecret = parameters["HTTP_X_REMOTE_WORKER_SECRET"]
        accept = parameters["HTTP_ACCEPT"]
        via = parameters["HTTP_VIA"]
        refresh = parameters["HTTP_X_PREVIEW_REFRESH"] != nil
        operatorAccess = parameters["RW_OPERATOR_ACCESS"] == "allowed"
    }

    /// True when a query flag such as `?simple=1` is set (`1`, `true`, `yes`).
    public func flag(_ name: String) -> Bool {
        guard let value = query[name]?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }

    /// Parses `a=1&b=two` (percent-decoding values; later keys do not replace earlier ones).
    public static func parseQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0])
            let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    public static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
