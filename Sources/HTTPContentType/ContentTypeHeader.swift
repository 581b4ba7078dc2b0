/// A parsed `Content-Type` (or `Content-Disposition`) value: `type/subtype; name=value; ...`.
/// The one reader of these headers, for uploads, request bodies and fetched pages alike.
public struct ContentTypeHeader: Equatable, Sendable {
    /// Lower-cased `type/subtype`.
    public let mediaType: String
    /// Parameters with lower-cased names and unquoted values.
    public let parameters: [String: String]

    public init(_ raw: String) {
        // A header is short; a longer one is not read past what any real one needs.
        let raw = raw.utf8.count > 4096 ? String(decoding: raw.utf8.prefix(4096), as: UTF8.self) : raw
        var pieces = Self.splitOutsideQuotes(raw)
        mediaType = pieces.isEmpty ? "" : pieces.removeFirst().trimmed().lowercased()
        var parameters: [String: String] = [:]
        for piece in pieces {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmed().lowercased()
            var value = piece[piece.index(after: equals)...].trimmed()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingEscapes()
            }
            if parameters[name] == nil { parameters[name] = value }
        }
        self.parameters = parameters
    }

    /// The `charset` parameter, when present and not empty.
    public var charset: String? {
        guard let value = parameters["charset"], !value.isEmpty else { return nil }
        return value
    }

    /// The multipart boundary, when present and valid per RFC 2046 (1 to 70 characters).
    public var boundary: String? {
        guard let value = parameters["boundary"], (1...70).contains(value.utf8.count) else { return nil }
        return value
    }

    private static func splitOutsideQuotes(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var inQuotes = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if escaped { escaped = false; continue }
            if character == "\\" && inQuotes { escaped = true; continue }
            if character == "\"" { inQuotes.toggle() }
            if character == ";" && !inQuotes {
                result.append(text[start..<index])
                start = text.index(after: index)
            }
        }
        result.append(text[start...])
        return result
    }
}

extension StringProtocol {
    fileprivate func trimmed() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}

extension String {
    fileprivate func replacingEscapes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if escaped { result.append(character); escaped = false }
            else if character == "\\" { escaped = true }
            else { result.append(character) }
        }
        return result
    }
}
