/// FastCGI records built by hand (the protocol's section 3 and 5), for the one
/// answer written without libfcgi (the 500 a crashing responder leaves behind),
/// and for the client side a link fetcher speaks to the image pool.
public enum FastCGIRecords {
    public static let version: UInt8 = 1
    public static let stdoutType: UInt8 = 6
    public static let endRequestType: UInt8 = 3
    public static let beginRequestType: UInt8 = 1
    public static let paramsType: UInt8 = 4
    public static let stdinType: UInt8 = 5
    public static let stderrType: UInt8 = 7
    public static let maxContent = 65_535

    /// A complete response: the CGI header block and body on stdout, the end of
    /// stdout, and the end of the request with `appStatus`.
    public static func response(_ response: Response, requestID: UInt16, appStatus: UInt32 = 0) -> [UInt8] {
        var records: [UInt8] = []
        appendStream(to: &records, type: stdoutType, requestID: requestID, content: response.headerBlock + response.body)
        // The application status, then the protocol status 0 (FCGI_REQUEST_COMPLETE) and three reserved bytes.
        appendRecord(to: &records, type: endRequestType, requestID: requestID, content: (bigEndian(appStatus, bytes: 4) + [0, 0, 0, 0])[...])
        return records
    }

    /// FCGI_END_REQUEST's protocol statuses.
    public enum ProtocolStatus: UInt8, Sendable {
        case requestComplete = 0
        case cantMultiplex = 1
        case overloaded = 2
        case unknownRole = 3
    }

    /// The end of a request that is refused without an answer (another role, a second request).
    public static func endRequest(requestID: UInt16, status: ProtocolStatus) -> [UInt8] {
        record(type: endRequestType, requestID: requestID, content: [0, 0, 0, 0, status.rawValue, 0, 0, 0])
    }

    /// FCGI_UNKNOWN_TYPE, for a management record of a type not known here.
    public static func unknownType(_ type: UInt8) -> [UInt8] {
        record(type: 11, requestID: 0, content: [type, 0, 0, 0, 0, 0, 0, 0])
    }

    /// FCGI_GET_VALUES_RESULT with the values asked for that this server knows.
    public static func valuesResult(_ values: [(String, String)]) -> [UInt8] {
        var encoded: [UInt8] = []
        for (name, value) in values {
            encoded += length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
        return record(type: 10, requestID: 0, content: encoded.prefix(maxContent))
    }

    /// One record: the 8-byte header, `content` (at most 65535 bytes), padding to a multiple of 8.
    public static func record(type: UInt8, requestID: UInt16, content: ArraySlice<UInt8>) -> [UInt8] {
        var record: [UInt8] = []
        appendRecord(to: &record, type: type, requestID: requestID, content: content)
        return record
    }

    /// A whole request as a client sends it: begin (responder role, connection closed after),
    /// the parameters, the body on stdin, and the ends of both streams.
    public static func request(parameters: [(String, String)], body: [UInt8], requestID: UInt16) -> [UInt8] {
        var encoded: [UInt8] = []
        for (name, value) in parameters {
            encoded += length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
        var records: [UInt8] = []
        // The body once, plus a header and padding per record, and the small records around it.
        records.reserveCapacity(body.count + (body.count / maxContent + 1) * 16 + encoded.count + 64)
        appendRecord(to: &records, type: beginRequestType, requestID: requestID, content: [0, 1, 0, 0, 0, 0, 0, 0])
        appendStream(to: &records, type: paramsType, requestID: requestID, content: encoded)
        appendStream(to: &records, type: stdinType, requestID: requestID, content: body)
        return records
    }

    private static func appendRecord(to records: inout [UInt8], type: UInt8, requestID: UInt16, content: ArraySlice<UInt8>) {
        precondition(content.count <= maxContent, "a FastCGI record holds at most 65535 bytes")
        let padding = (8 - content.count % 8) % 8
        records += [version, type] + bigEndian(UInt32(requestID), bytes: 2)
            + bigEndian(UInt32(content.count), bytes: 2) + [UInt8(padding), 0]
        records += content
        records += repeatElement(0, count: padding)
    }

    private static func bigEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// `content` in records of at most 65535 bytes, then the empty record that ends the stream.
    private static func appendStream(to records: inout [UInt8], type: UInt8, requestID: UInt16, content: [UInt8]) {
        var start = 0
        while start < content.count {
            let end = min(start + maxContent, content.count)
            appendRecord(to: &records, type: type, requestID: requestID, content: content[start..<end])
            start = end
        }
        appendRecord(to: &records, type: type, requestID: requestID, content: [])
    }

    /// A name-value pair's length: one byte below 128, else four with the top bit set.
    private static func length(_ count: Int) -> [UInt8] {
        count < 128 ? [UInt8(count)] : bigEndian(UInt32(count) | 0x8000_0000, bytes: 4)
    }

    /// Reads a responder's answer as it arrives: stdout kept (up to `maxBytes`), stderr
    /// skipped, done at the end-of-request record. Every length is checked before use.
    public struct ResponseReader {
        public struct Malformed: Error, CustomStringConvertible {
            public let description: String
        }

        public private(set) var stdout: [UInt8] = []
        public private(set) var ended = false
        private var pending: [UInt8] = []
        private let maxBytes: Int

        public init(maxBytes: Int) {
            self.maxBytes = maxBytes
        }

        public mutating func take(_ bytes: ArraySlice<UInt8>) throws(Malformed) {
            pending += bytes
            var at = 0
            while !ended, pending.count - at >= 8 {
                guard pending[at] == version else { throw Malformed(description: "not FastCGI version 1") }
                let type = pending[at + 1]
                let contentLength = Int(pending[at + 4]) << 8 | Int(pending[at + 5])
                let total = 8 + contentLength + Int(pending[at + 6])
                guard pending.count - at >= total else { break }
                let content = pending[(at + 8)..<(at + 8 + contentLength)]
                switch type {
                case stdoutType:
                    guard stdout.count + content.count <= maxBytes else {
                        throw Malformed(description: "an answer over \(maxBytes) bytes")
                    }
                    stdout += content
                case stderrType:
                    break
                case endRequestType:
                    ended = true
                default:
                    throw Malformed(description: "an unexpected record of type \(type)")
                }
                at += total
            }
            pending.removeFirst(at)
        }
    }
}
