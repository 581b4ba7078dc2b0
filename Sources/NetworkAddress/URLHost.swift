/// The host of a link, read strictly: a DNS name (an IDN turned into Punycode, lower case,
/// no trailing dot) or a literal address in its one plain spelling. Numeric hosts in the
/// spellings resolvers accept but people never write (`2130706433`, `0x7f.1`, `127.1`,
/// `0177.0.0.1`) are refused rather than interpreted. The one reader of host names, for
/// links and for the operator's lists alike.
public enum URLHost: Equatable, Hashable, Sendable {
    case name(String)
    case address(IPAddress)

    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// `[IPv6]`, a dotted quad, or a name.
    public init(_ text: Substring) throws(Problem) {
        if text.hasPrefix("[") {
            let inner = String(text.dropFirst().dropLast())
            guard text.hasSuffix("]"), let address = IPAddress(inner), case .v6 = address else {
                throw Problem(description: "not an IPv6 address in brackets")
            }
            self = .address(address)
            return
        }
        // Lowercased as IDNA maps case; a name not in NFC simply fails to resolve (no Foundation here:
        // its ICU and the system's cannot share a module).
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { throw Problem(description: "no host") }
        if let v4 = IPAddress.parseV4(Substring(name)) {
            self = .address(.v4(v4))
            return
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // A host of numbers only, in any other spelling, is an address a resolver would guess at.
        if labels.last.map({ $0.allSatisfy { $0.isHexDigit || $0 == "x" } && $0.first?.isNumber == true }) == true {
            throw Problem(description: "numeric host in an unusual spelling")
        }
        var ascii: [String] = []
        for label in labels {
            guard !label.isEmpty else { throw Problem(description: "empty label") }
            if label.unicodeScalars.allSatisfy({ $0.isASCII }) {
                ascii.append(String(label))
            } else {
                guard let encoded = Punycode.encode(String(label)) else { throw Problem(description: "label cannot be encoded") }
                ascii.append("xn--" + encoded)
            }
        }
        for label in ascii {
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw Problem(description: "host name")
            }
        }
        let joined = ascii.joined(separator: ".")
        guard joined.count <= 253 else { throw Problem(description: "host name too long") }
        self = .name(joined)
    }
}
