/// Refuses bodies that would trap MultipartKit 4.7.1: its header-name check
/// looks a byte up in a 128-entry table, so a name byte of 0x80 or above
/// crashes the process. Header names can only start after a boundary line,
/// so every block that follows an occurrence of the delimiter (a superset of
/// the real part headers) is checked before the parser runs.
enum MultipartHeaderGuard {
    /// True when no header name in `body` holds a byte of 0x80 or above.
    static func headerNamesAreASCII(_ body: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        let bytes = body.span
        var offset = 0
        while let found = nextOccurrence(of: delimiter, in: bytes, from: offset) {
            offset = found + delimiter.count
            // The parser reads headers only after the boundary line's CRLF.
            guard offset + 1 < bytes.count, bytes[offset] == 0x0D, bytes[offset + 1] == 0x0A else { continue }
            var cursor = offset + 2
            // Each header line: its name runs to the colon; an empty line ends the block.
            while cursor < bytes.count, bytes[cursor] != 0x0D {
                while cursor < bytes.count, bytes[cursor] != 0x3A, bytes[cursor] != 0x0D {
                    if bytes[cursor] >= 0x80 { return false }
                    cursor += 1
                }
                while cursor < bytes.count, bytes[cursor] != 0x0D { cursor += 1 }
                cursor += 2
            }
        }
        return true
    }

    /// Where `needle` next starts at or after `start`: a scan for its first
    /// byte, then a comparison (the delimiter's "--" is rare in image data).
    private static func nextOccurrence(of needle: [UInt8], in bytes: Span<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = 1
                while matched < needle.count && bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
