import CFCGI

/// The only file that speaks libfcgi: accepts connections on descriptor 0
/// (the listening socket the supervisor handed over), turns parameters and
/// body into a `Request`, and writes a `Response` back.
final class FastCGIConnection {
    private var request = FCGX_Request()
    private let maxBodyBytes: Int

    /// What `accept` produced: a request, a body over the limit, or the end of the listening socket.
    enum Accepted {
        case request(Request)
        case tooLarge(Request)
        /// The body ended short of its CONTENT_LENGTH: never processed as if whole.
        case incomplete(Request, received: Int, declared: Int)
        case closed
    }

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        FCGX_Init()
        FCGX_InitRequest(&request, 0, 0)
    }

    /// Blocks for the next request. `.closed` once the listening socket is gone (stop requested).
    func accept() -> Accepted {
        guard FCGX_Accept_r(&request) >= 0 else { return .closed }
        var incoming = Request(
            method: parameter("REQUEST_METHOD") ?? "GET",
            path: parameter("DOCUMENT_URI") ?? Self.path(ofURI: parameter("REQUEST_URI") ?? "/"),
            query: Request.parseQuery(parameter("QUERY_STRING") ?? ""),
            contentType: parameter("CONTENT_TYPE").flatMap { $0.isEmpty ? nil : $0 },
            requestID: parameter("REQUEST_ID") ?? parameter("HTTP_X_REQUEST_ID") ?? "-"
        )
        incoming.workerSecret = parameter("HTTP_X_REMOTE_WORKER_SECRET")
        let declared = parameter("CONTENT_LENGTH").flatMap { Int($0) } ?? 0
        // Refuse before reading: an over-limit body is never buffered here.
        if declared > maxBodyBytes { return .tooLarge(incoming) }
        guard let body = readBody(expected: declared) else { return .tooLarge(incoming) }
        if body.count < declared { return .incomplete(incoming, received: body.count, declared: declared) }
        incoming.body = body
        return .request(incoming)
    }

    /// Sends the response and ends the request.
    func finish(with response: Response) {
        write(response.headerBlock)
        write(response.body)
        FCGX_Finish_r(&request)
    }

    /// Releases the connection without a response (used when stopping).
    func close() {
        FCGX_Free(&request, 1)
    }

    private func parameter(_ name: String) -> String? {
        FCGX_GetParam(name, request.envp).map { String(cString: $0) }
    }

    /// Reads the body; nil when it turns out longer than the limit.
    private func readBody(expected: Int) -> [UInt8]? {
        var body = [UInt8](repeating: 0, count: max(expected, 0))
        var filled = 0
        while true {
            if filled == body.count {
                // More than declared (or nothing declared): grow, up to one byte past the limit.
                guard body.count <= maxBodyBytes else { return nil }
                body.append(contentsOf: repeatElement(0, count: min(64 * 1024, maxBodyBytes + 1 - body.count)))
            }
            let room = body.count - filled
            let got = body.withUnsafeMutableBufferPointer { buffer in
                FCGX_GetStr(UnsafeMutableRawPointer(buffer.baseAddress! + filled).assumingMemoryBound(to: CChar.self),
                            Int32(room), request.in)
            }
            guard got > 0 else { break }
            filled += Int(got)
        }
        body.removeSubrange(filled...)
        return filled <= maxBodyBytes ? body : nil
    }

    private func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            _ = FCGX_PutStr(base, Int32(buffer.count), request.out)
        }
    }

    static func path(ofURI uri: String) -> String {
        String(uri.prefix { $0 != "?" })
    }
}
