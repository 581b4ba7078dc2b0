/// Blanks every GPS property (`exif:GPSLatitude`, `exif:GPSDateTime`, ... with
/// any namespace prefix) in an XMP packet, as attributes or as elements.
///
/// Removed text becomes spaces of the same length: the packet stays
/// well-formed XML and keeps its size, so nothing around it moves.
enum XMPLocationScrubber {
    /// Returns whether anything was blanked in `bytes[range]`.
    static func scrub(_ bytes: inout [UInt8], in range: Range<Int>) -> Bool {
        let marker = Array(":GPS".utf8)
        var changed = false
        var index = range.lowerBound
        while index + marker.count <= range.upperBound {
            guard bytes[index] == UInt8(ascii: ":"), bytes.hasSignature(marker, at: index) else { index += 1; continue }
            var nameStart = index
            while nameStart > range.lowerBound, isNameByte(bytes[nameStart - 1]) { nameStart -= 1 }
            var nameEnd = index + marker.count
            while nameEnd < range.upperBound, isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            guard nameStart > range.lowerBound, nameStart < index else { index = nameEnd; continue }
            let before = bytes[nameStart - 1]
            var blankEnd: Int?
            if before == UInt8(ascii: "<") {
                blankEnd = elementEnd(bytes, name: Array(bytes[nameStart..<nameEnd]), from: nameEnd, limit: range.upperBound)
                nameStart -= 1
            } else if isSpace(before) {
                blankEnd = attributeEnd(bytes, from: nameEnd, limit: range.upperBound)
            }
            if let blankEnd {
                for position in nameStart..<blankEnd { bytes[position] = UInt8(ascii: " ") }
                changed = true
                index = blankEnd
            } else {
                index = nameEnd
            }
        }
        return changed
    }

    /// End of `name="value"` or `name='value'` starting after the name.
    private static func attributeEnd(_ bytes: [UInt8], from start: Int, limit: Int) -> Int? {
        var at = start
        while at < limit, isSpace(bytes[at]) { at += 1 }
        guard at < limit, bytes[at] == UInt8(ascii: "=") else { return nil }
        at += 1
        while at < limit, isSpace(bytes[at]) { at += 1 }
        guard at < limit, bytes[at] == UInt8(ascii: "\"") || bytes[at] == UInt8(ascii: "'") else { return nil }
        let quote = bytes[at]
        at += 1
        while at < limit, bytes[at] != quote { at += 1 }
        return at < limit ? at + 1 : nil
    }

    /// End of `<name .../>` or `<name ...>...</name>`.
    private static func elementEnd(_ bytes: [UInt8], name: [UInt8], from start: Int, limit: Int) -> Int? {
        var at = start
        var quote: UInt8?
        while at < limit {
            let byte = bytes[at]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            }
            at += 1
        }
        guard at < limit else { return nil }
        if bytes[at - 1] == UInt8(ascii: "/") { return at + 1 }
        let closing = Array("</".utf8) + name + [UInt8(ascii: ">")]
        var search = at + 1
        while search + closing.count <= limit {
            if bytes.hasSignature(closing, at: search) { return search + closing.count }
            search += 1
        }
        return nil
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
