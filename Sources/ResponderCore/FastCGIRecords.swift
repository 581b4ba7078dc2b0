/// FastCGI records built by hand (the protocol's section 3 and 5), for the one
/// answer written without libfcgi: the 500 a crashing responder leaves behind.
public enum FastCGIRecords {
    public static let version: UInt8 = 1
    public static let stdoutType: UInt8 = 6
    public static let endRequestType: UInt8 = 3
    public static let maxContent = 65_535

    /// A complete response: the CGI header block and body on stdout, the end of
    /// stdout, and the end of the request with `appStatus`.
    public static func response(_ response: Response, requestID: UInt16, appStatus: UInt32 = 0) -> [UInt8] {
        let content = response.headerBlock + response.body
        var records: [UInt8] = []
        var start = 0
        while start < content.count {
            let end = min(start + maxContent, content.count)
            records += record(type: stdoutType, requestID: requestID, content: content[start..<end])
            start = end
        }
        records += record(type: stdoutType, requestID: requestID, content: [])
        // The application status, then the protocol status 0 (FCGI_REQUEST_COMPLETE) and three reserved bytes.
        let end = bigEndian(appStatus, bytes: 4) + [0, 0, 0, 0]
        records += record(type: endRequestType, requestID: requestID, content: end[...])
        return records
    }

    /// One record, padded to a multiple of eight bytes as the specification recommends.
    public static func record(type: UInt8, requestID: UInt16, content: ArraySlice<UInt8>) -> [UInt8] {
        precondition(content.count <= maxContent, "a FastCGI record holds at most 65535 bytes")
        let padding = (8 - content.count % 8) % 8
        let header = [version, type] + bigEndian(UInt32(requestID), bytes: 2)
            + bigEndian(UInt32(content.count), bytes: 2) + [UInt8(padding), 0]
        return header + content + [UInt8](repeating: 0, count: padding)
    }

    private static func bigEndian(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
