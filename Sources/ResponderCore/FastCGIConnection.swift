import CFCGI
import CProcessControl
import CSandbox

/// The only file that speaks libfcgi: reads a connection the `Listener`
/// accepted into a `Request`, and writes a `Response` back. libfcgi never
/// accepts by itself here (its listening descriptor is -1), so nothing is read
/// from a connection before the responder has marked itself busy.
public final class FastCGIConnection {
    private var request = FCGX_Request()
    private let maxBodyBytes: Int
    private let idleTimeoutMilliseconds: Int32

    /// What reading a connection produced: a request, a body over the limit, or nothing usable.
    public enum Accepted {
        case request(Request)
        case tooLarge(Request)
        /// The body ended short of its CONTENT_LENGTH: never processed as if whole.
        case incomplete(Request, received: Int, declared: Int)
        /// No request arrived: the peer was silent past the idle timeout, closed, or spoke no FastCGI.
        case dropped
    }

    public init(maxBodyBytes: Int, idleTimeoutSeconds: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutMilliseconds = Int32(idleTimeoutSeconds * 1000)
        FCGX_Init()
        FCGX_InitRequest(&request, -1, 0)
    }

    /// The FastCGI request id and the connection, for an answer written without libfcgi.
    public var requestID: UInt16 { UInt16(truncatingIfNeeded: request.requestId) }
    public var descriptor: Int32 { request.ipcFd }

    /// Reads the request on `connection` (accepted, and owned from now on).
    public func read(_ connection: Int32) -> Accepted {
        _ = ps_set_receive_timeout(connection, idleTimeoutMilliseconds)
        request.ipcFd = connection
        // Not closed by the finish of the previous request that FCGX_Accept_r starts with;
        // the begin record then says whether to keep it.
        request.keepConnection = 1
        // With a connection in hand, libfcgi reads from it; on a failure it closes it and
        // tries to accept on -1, which fails at once. Marked detached meanwhile, so that close
        // is immediate: libfcgi would otherwise wait up to 2 s more for a silent peer's EOF.
        request.detached = 1
        guard FCGX_Accept_r(&request) >= 0 else { return .dropped }
        // A request that came: its answer gets libfcgi's lingering close, so no reset loses it.
        request.detached = 0
        var incoming = Request(
            method: parameter("REQUEST_METHOD") ?? "GET",
            path: parameter("DOCUMENT_URI") ?? Self.path(ofURI: parameter("REQUEST_URI") ?? "/"),
            query: Request.parseQuery(parameter("QUERY_STRING") ?? ""),
            contentType: parameter("CONTENT_TYPE").flatMap { $0.isEmpty ? nil : $0 },
            requestID: parameter("REQUEST_ID") ?? parameter("HTTP_X_REQUEST_ID") ?? "-"
        )
        incoming.workerSecret = parameter("HTTP_X_REMOTE_WORKER_SECRET")
        incoming.accept = parameter("HTTP_ACCEPT")
        incoming.via = parameter("HTTP_VIA")
        incoming.operatorAccess = parameter("RW_OPERATOR_ACCESS") == "allowed"
        let declared = parameter("CONTENT_LENGTH").flatMap { Int($0) } ?? 0
        // Refuse before reading: an over-limit body is never buffered here.
        if declared > maxBodyBytes { return .tooLarge(incoming) }
        guard let body = readBody(expected: declared) else { return .tooLarge(incoming) }
        if body.count < declared { return .incomplete(incoming, received: body.count, declared: declared) }
        incoming.body = body
        return .request(incoming)
    }

    /// Sends the response and ends the request.
    public func finish(with response: Response) {
        write(response.headerBlock)
        write(response.body)
        FCGX_Finish_r(&request)
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

    public static func path(ofURI uri: String) -> String {
        String(uri.prefix { $0 != "?" })
    }
}
