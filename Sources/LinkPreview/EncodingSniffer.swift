/// Which encoding a page is in, found as HTML's "determine the character encoding"
/// finds it: a byte order mark, else the Content-Type's charset, else a `<meta>`
/// in the first 1024 bytes (the Standard's prescan, byte for byte), else
/// windows-1252. Only the first 1024 bytes are looked at, so its cost is fixed.
enum EncodingSniffer {
    static let prescanLength = 1024

    /// The encoding, and how many bytes of byte order mark to skip.
    static func encoding(of bytes: [UInt8], transportCharset: String?) -> (PageEncoding, bomLength: Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (PageEncoding(label: "utf-16be")!, 2) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (PageEncoding(label: "utf-16le")!, 2) }
        if let charset = transportCharset, let encoding = PageEncoding(label: charset) { return (encoding, 0) }
        return (prescan(bytes.prefix(prescanLength)) ?? .windows1252, 0)
    }

    /// The Standard's "prescan a byte stream to determine its encoding".
    static func prescan(_ bytes: ArraySlice<UInt8>) -> PageEncoding? {
        var scanner = Scanner(bytes: Array(bytes))
        return try? scanner.run()
    }

    /// Thrown when the bytes run out: the prescan's answer is then "none".
    struct RanOut: Error {}

    struct Scanner {
        let bytes: [UInt8]
        var position = 0

        static let whitespace: Set<UInt8> = [0x09, 0x0A, 0x0C, 0x0D, 0x20]

        /// Whitespace or `>`: where a tag name or an unquoted value ends.
        static func endsWord(_ byte: UInt8) -> Bool { whitespace.contains(byte) || byte == 0x3E }
        static func skipsBeforeAttribute(_ byte: UInt8) -> Bool { whitespace.contains(byte) || byte == 0x2F }

        func at(_ offset: Int = 0) throws(RanOut) -> UInt8 {
            guard position + offset < bytes.count else { throw RanOut() }
            return bytes[position + offset]
        }

        func starts(with text: String, caseless: Bool = false) -> Bool {
            let pattern = Array(text.utf8)
            guard position + pattern.count <= bytes.count else { return false }
            return zip(bytes[position..<position + pattern.count], pattern).allSatisfy { caseless ? lower($0) == $1 : $0 == $1 }
        }

        func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
        func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }

        mutating func run() throws(RanOut) -> PageEncoding? {
            while position < bytes.count {
                if starts(with: "<!--") {
                    // To the end of the first "-->"; its dashes may be the opening ones.
                    position += 2
                    while !starts(with: "-->") { position += 1; _ = try at() }
                    position += 2
                } else if starts(with: "<meta", caseless: true), position + 5 < bytes.count,
                          Self.whitespace.contains(bytes[position + 5]) || bytes[position + 5] == 0x2F {
                    position += 5
                    if let found = try meta() { return found }
                } else if starts(with: "<"), let next = try? at(1),
                          isLetter(next) || (next == 0x2F && (try? at(2)).map(isLetter) == true) {
                    // A tag: skip its name, then its attributes.
                    while !Self.endsWord(try at()) { position += 1 }
                    while try attribute() != nil {}
                } else if starts(with: "<!") || starts(with: "</") || starts(with: "<?") {
                    while try at() != 0x3E { position += 1 }
                }
                position += 1
            }
            return nil
        }

        /// The attributes of one `<meta>`: an encoding if they name one the way the Standard accepts.
        mutating func meta() throws(RanOut) -> PageEncoding? {
            var seen: Set<[UInt8]> = []
            var gotPragma = false
            var needPragma: Bool?
            var charset: PageEncoding?
            while let (name, value) = try attribute() {
                guard seen.insert(name).inserted else { continue }
                switch String(decoding: name, as: UTF8.self) {
                case "http-equiv":
                    if value == Array("content-type".utf8) { gotPragma = true }
                case "content":
                    if charset == nil, let found = Self.charset(inContent: value) {
                        charset = found
                        needPragma = true
                    }
                case "charset":
                    charset = PageEncoding(label: String(decoding: value, as: UTF8.self))
                    needPragma = false
                default:
                    break
                }
            }
            guard let needPragma, !(needPragma && !gotPragma), let charset else { return nil }
            // A page that says UTF-16 in ASCII markup is not UTF-16; x-user-defined is not for pages.
            if charset.name.hasPrefix("UTF-16") { return .utf8 }
            if charset.name == "x-user-defined" { return .windows1252 }
            return charset
        }

        /// The Standard's "get an attribute": name and value lower-cased; nil at `>`.
        mutating func attribute() throws(RanOut) -> ([UInt8], [UInt8])? {
            while Self.skipsBeforeAttribute(try at()) { position += 1 }
            if try at() == 0x3E { return nil }
            var name: [UInt8] = []
            var value: [UInt8] = []
            nameLoop: while true {
                let byte = try at()
                if byte == 0x3D && !name.isEmpty {
                    position += 1
                    break nameLoop
                }
                if Self.whitespace.contains(byte) {
                    while Self.whitespace.contains(try at()) { position += 1 }
                    guard try at() == 0x3D else { return (name, []) }
                    position += 1
                    break nameLoop
                }
                if byte == 0x2F || byte == 0x3E { return (name, []) }
                name.append(lower(byte))
                position += 1
            }
            while Self.whitespace.contains(try at()) { position += 1 }
            let first = try at()
            if first == 0x22 || first == 0x27 {
                position += 1
                while try at() != first {
                    value.append(lower(try at()))
                    position += 1
                }
                position += 1
                return (name, value)
            }
            if first == 0x3E { return (name, []) }
            while !Self.endsWord(try at()) {
                value.append(lower(try at()))
                position += 1
            }
            return (name, value)
        }

        /// The Standard's "extract a character encoding from a meta element", from a lower-cased `content`.
        static func charset(inContent content: [UInt8]) -> PageEncoding? {
            let word = Array("charset".utf8)
            var position = 0
            while position + word.count <= content.count {
                guard content[position..<position + word.count].elementsEqual(word) else {
                    position += 1
                    continue
                }
                position += word.count
                while position < content.count && whitespace.contains(content[position]) { position += 1 }
                guard position < content.count, content[position] == 0x3D else { continue }
                position += 1
                while position < content.count && whitespace.contains(content[position]) { position += 1 }
                guard position < content.count else { return nil }
                let quote = content[position]
                if quote == 0x22 || quote == 0x27 {
                    guard let end = content[(position + 1)...].firstIndex(of: quote) else { return nil }
                    return PageEncoding(label: String(decoding: content[(position + 1)..<end], as: UTF8.self))
                }
                let end = content[position...].firstIndex(where: { whitespace.contains($0) || $0 == 0x3B }) ?? content.endIndex
                return PageEncoding(label: String(decoding: content[position..<end], as: UTF8.self))
            }
            return nil
        }
    }
}
