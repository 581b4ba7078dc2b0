#if canImport(Glibc)
import Glibc
#endif
import Bytes

/// The parts of a multipart body (RFC 2046 §5.1, as RFC 7578 uses it for forms),
/// found in one forward pass without copying: each part's body is a range of the
/// request body.
///
/// Strict where the RFC is: a delimiter starts a line and is followed by optional
/// spaces or tabs and CRLF, or by "--" to close; header lines are `name: value` with
/// a token name and no folding. Every search runs
/// forward from the current position, so a body costs time linear in its size
/// whatever the boundary (a boundary that overlaps itself included), and every
/// read is bounds-checked.
struct MultipartReader {
    struct Part {
        /// Header names lower-cased; values as sent, without surrounding blanks.
        let headers: [(name: String, value: String)]
        let body: Range<Int>

        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    /// More parts than a form of ours has fields, by far.
    static let maxParts = 64
    /// Header bytes one part may carry.
    static let maxHeaderBytes = 8 * 1024

    private let body: [UInt8]
    private let delimiter: [UInt8]
    /// CRLF then the delimiter: where a part's body ends.
    private let closing: [UInt8]

    init(body: [UInt8], boundary: String) throws(UploadError) {
        guard Self.isValidBoundary(boundary) else { throw .malformed("invalid multipart boundary") }
        self.body = body
        delimiter = Array("--\(boundary)".utf8)
        closing = [0x0D, 0x0A] + delimiter
    }

    /// Every part, in order.
    func parts() throws(UploadError) -> [Part] {
        let reader = body.reader
        // The first delimiter opens the body, or ends a preamble on a line of its own.
        var at: Int
        if reader.matches(delimiter, at: 0) {
            at = 0
        } else if let found = find(closing, from: 0) {
            at = found + 2
        } else {
            throw .malformed("no multipart boundary in the body")
        }
        var parts: [Part] = []
        while true {
            var cursor = at + delimiter.count
            if reader.matches([0x2D, 0x2D], at: cursor) { return parts } // "--": the close delimiter
            while let byte = reader.u8(cursor), byte == 0x20 || byte == 0x09 { cursor += 1 }
            guard reader.matches([0x0D, 0x0A], at: cursor) else { throw .malformed("boundary line not ended by CRLF") }
            guard parts.count < Self.maxParts else { throw .malformed("more than \(Self.maxParts) parts") }
            let (headers, bodyStart) = try readHeaders(from: cursor + 2)
            guard let end = find(closing, from: bodyStart) else { throw .malformed("part not closed by a boundary") }
            parts.append(Part(headers: headers, body: bodyStart..<end))
            at = end + 2
        }
    }

    /// The header lines from `start` to the blank line, and where the part's body starts.
    private func readHeaders(from start: Int) throws(UploadError) -> ([(name: String, value: String)], Int) {
        let reader = body.reader
        if reader.matches([0x0D, 0x0A], at: start) { return ([], start + 2) }
        // The blank line must come within the header budget; the search looks no further.
        let limit = min(body.count, start + Self.maxHeaderBytes)
        guard let blank = find([0x0D, 0x0A, 0x0D, 0x0A], from: start, before: limit) else {
            throw .malformed("part headers not ended within \(Self.maxHeaderBytes) bytes")
        }
        var headers: [(name: String, value: String)] = []
        var line = start
        while line <= blank {
            let end = find([0x0D, 0x0A], from: line, before: blank + 2) ?? blank
            headers.append(try Self.header(body[line..<end]))
            line = end + 2
        }
        return (headers, blank + 4)
    }

    private static func header(_ line: ArraySlice<UInt8>) throws(UploadError) -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
              line[line.startIndex..<colon].allSatisfy(isTokenByte) else {
            throw .malformed("part header line is not 'name: value'")
        }
        let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        return (name, String(decoding: value, as: UTF8.self))
    }

    /// RFC 7230 token characters: visible ASCII but separators.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        return !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
    }

    /// RFC 2046 boundaries: 1 to 70 of DIGIT, ALPHA and '()+_,-./:=? and spaces, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != 0x20 else { return false }
        return bytes.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "'()+_,-./:=? ".utf8.contains(byte)
        }
    }

    /// The first offset at or after `start` where `needle` lies wholly before `limit`.
    /// memchr finds each candidate first byte and memcmp checks the rest: the needle is
    /// at most 76 bytes, so the search stays linear in the body whatever its content.
    private func find(_ needle: [UInt8], from start: Int, before limit: Int? = nil) -> Int? {
        let end = min(limit ?? body.count, body.count)
        guard start >= 0, !needle.isEmpty, needle.count <= end - start else { return nil }
        return body.withUnsafeBytes { haystack -> Int? in
            needle.withUnsafeBytes { pattern -> Int? in
                guard let base = haystack.baseAddress, let first = pattern.baseAddress else { return nil }
                let lastStart = end - needle.count
                var offset = start
                while offset <= lastStart,
                      let hit = memchr(base + offset, Int32(needle[0]), lastStart - offset + 1) {
                    let at = UnsafeRawPointer(hit) - base
                    if memcmp(base + at, first, needle.count) == 0 { return at }
                    offset = at + 1
                }
                return nil
            }
        }
    }
}
