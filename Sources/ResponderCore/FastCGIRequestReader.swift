/// Reads a FastCGI connection as a responder does (the protocol's sections 3–6),
/// for a server that holds many connections at once on one thread: bytes go in
/// as they arrive, whole requests and aborts come out. libfcgi's reader blocks
/// on one request at a time, so it cannot serve that way. Written for hostile
/// bytes: every length is checked before it is used, parameters and body are
/// capped, and work is linear in the bytes taken (a record is looked at once).
public struct FastCGIRequestReader {
    public enum Event: Equatable, Sendable {
        /// A request whose parameters and body have arrived. `bodyTooLarge`: the body went
        /// past the limit and was not kept (the request is answered 413).
        case request(id: UInt16, keepConnection: Bool, parameters: [String: String], body: [UInt8], bodyTooLarge: Bool)
        /// The web server gave up on the request (its client went away), whether it was still
        /// arriving or already whole.
        case abort(id: UInt16)
        /// A begin record for a role other than responder: answered FCGI_UNKNOWN_ROLE.
        case unknownRole(id: UInt16)
        /// A second request while one is open on the connection: answered FCGI_CANT_MPX_CONN.
        case multiplexed(id: UInt16)
        /// A management record asking for values (FCGI_GET_VALUES), with the names asked.
        case getValues([String])
        /// A management record of a type this reader does not know: answered FCGI_UNKNOWN_TYPE.
        case unknownType(UInt8)
    }

    public struct Malformed: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static let responderRole: UInt16 = 1
    public static let abortRequestType: UInt8 = 2
    public static let getValuesType: UInt8 = 9
    private static let keepConnectionFlag: UInt8 = 1
    private static let headerLength = 8

    private enum Stage {
        case idle
        case parameters(id: UInt16, keep: Bool)
        case body(id: UInt16, keep: Bool, parameters: [String: String])
    }

    public let maxParameterBytes: Int
    public let maxBodyBytes: Int
    private var stage = Stage.idle
    private var pending: [UInt8] = []
    private var parameterBytes: [UInt8] = []
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    public init(maxParameterBytes: Int = 64 * 1024, maxBodyBytes: Int) {
        self.maxParameterBytes = maxParameterBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether a request is open (begun, not yet whole): the connection then has work in flight.
    public var isReadingRequest: Bool {
        if case .idle = stage { return false }
        return true
    }

    /// Takes the bytes that arrived; returns what they completed.
    public mutating func take(_ bytes: some Collection<UInt8>) throws(Malformed) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var at = 0
        while pending.count - at >= Self.headerLength {
            guard pending[at] == FastCGIRecords.version else { throw Malformed(description: "not FastCGI version 1") }
            let type = pending[at + 1]
            let id = UInt16(pending[at + 2]) << 8 | UInt16(pending[at + 3])
            let contentLength = Int(pending[at + 4]) << 8 | Int(pending[at + 5])
            let total = Self.headerLength + contentLength + Int(pending[at + 6])
            guard pending.count - at >= total else { break }
            let content = pending[(at + Self.headerLength)..<(at + Self.headerLength + contentLength)]
            if let event = try record(type: type, id: id, content: content) { events.append(event) }
            at += total
        }
        pending.removeFirst(at)
        return events
    }

    private mutating func record(type: UInt8, id: UInt16, content: ArraySlice<UInt8>) throws(Malformed) -> Event? {
        if id == 0 { return try management(type: type, content: content) }
        switch (type, stage) {
        case (FastCGIRecords.beginRequestType, .idle):
            guard content.count >= 8 else { throw Malformed(description: "a begin record shorter than 8 bytes") }
            let start = content.startIndex
            let role = UInt16(content[start]) << 8 | UInt16(content[start + 1])
            guard role == Self.responderRole else { return .unknownRole(id: id) }
            stage = .parameters(id: id, keep: content[start + 2] & Self.keepConnectionFlag != 0)
            parameterBytes = []
            return nil
        case (FastCGIRecords.beginRequestType, _):
            return .multiplexed(id: id)
        case (Self.abortRequestType, .parameters(let open, _)) where open == id,
             (Self.abortRequestType, .body(let open, _, _)) where open == id:
            reset()
            return .abort(id: id)
        case (Self.abortRequestType, .idle):
            // The request may be whole and in the server's hands: the server knows whether it is.
            return .abort(id: id)
        case (FastCGIRecords.paramsType, .parameters(let open, let keep)) where open == id:
            guard !content.isEmpty else {
                stage = .body(id: id, keep: keep, parameters: try Self.pairs(parameterBytes))
                parameterBytes = []
                body = []
                bodyTooLarge = false
                return nil
            }
            guard parameterBytes.count + content.count <= maxParameterBytes else {
                throw Malformed(description: "parameters over \(maxParameterBytes) bytes")
            }
            parameterBytes += content
            return nil
        case (FastCGIRecords.stdinType, .body(let open, let keep, let parameters)) where open == id:
            guard !content.isEmpty else {
                let event = Event.request(id: id, keepConnection: keep, parameters: parameters, body: body,
                                          bodyTooLarge: bodyTooLarge)
                reset()
                return event
            }
            if bodyTooLarge || body.count + content.count > maxBodyBytes {
                // Read on to the end of the stream, keeping nothing: the answer is 413.
                bodyTooLarge = true
                body = []
            } else {
                body += content
            }
            return nil
        case (FastCGIRecords.beginRequestType...FastCGIRecords.stdinType, _), (FastCGIRecords.stdinType + 3, _):
            // A record for a request that is not open (an abort that crossed the answer, data
            // after it): the protocol says to ignore it.
            return nil
        default:
            throw Malformed(description: "an unexpected record of type \(type)")
        }
    }

    private mutating func reset() {
        stage = .idle
        parameterBytes = []
        body = []
        bodyTooLarge = false
    }

    private func management(type: UInt8, content: ArraySlice<UInt8>) throws(Malformed) -> Event {
        guard type == Self.getValuesType else { return .unknownType(type) }
        return .getValues(Array(try Self.pairs(Array(content)).keys).sorted())
    }

    /// Name-value pairs (section 3.4): each length one byte below 128, else four with the top bit set.
    static func pairs(_ bytes: [UInt8]) throws(Malformed) -> [String: String] {
        var pairs: [String: String] = [:]
        var at = 0
        func length() throws(Malformed) -> Int {
            guard at < bytes.count else { throw Malformed(description: "a parameter cut short") }
            if bytes[at] < 0x80 {
                at += 1
                return Int(bytes[at - 1])
            }
            guard bytes.count - at >= 4 else { throw Malformed(description: "a parameter length cut short") }
            let value = Int(bytes[at] & 0x7F) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            at += 4
            return value
        }
        while at < bytes.count {
            let nameLength = try length()
            let valueLength = try length()
            guard nameLength <= bytes.count - at, valueLength <= bytes.count - at - nameLength else {
                throw Malformed(description: "a parameter longer than its record")
            }
            let name = String(decoding: bytes[at..<(at + nameLength)], as: UTF8.self)
            let value = String(decoding: bytes[(at + nameLength)..<(at + nameLength + valueLength)], as: UTF8.self)
            at += nameLength + valueLength
            if pairs[name] == nil { pairs[name] = value }
        }
        return pairs
    }
}
