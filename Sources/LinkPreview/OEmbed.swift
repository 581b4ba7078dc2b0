/// What a preview keeps of a site's oEmbed answer (JSON only): the spec's
/// descriptive fields, text normalised and capped, links kept only if they are
/// http(s) links the link rules admit, sizes only if they are plain positive numbers. `html` (markup
/// the forum would have to trust) and every unknown field are dropped.
public struct OEmbed: Equatable, Sendable {
    public enum Field: Equatable, Sendable {
        case text(String)
        case number(Int)
    }

    /// In the spec's order; the answer keeps this order.
    public static let textFields = ["type", "version", "title", "author_name", "provider_name", "cache_age"]
    public static let linkFields = ["url", "author_url", "provider_url", "thumbnail_url"]
    public static let numberFields = ["width", "height", "thumbnail_width", "thumbnail_height", "cache_age"]

    /// Largest oEmbed answer read, in bytes.
    public static let maxBytes = 64 * 1024

    public let fields: [(String, Field)]

    /// nil unless `bytes` is a JSON object with a known `type`. A link is kept only if the
    /// preview's link rules admit its host.
    public init?(_ bytes: [UInt8], links: LinkRules) {
        guard let document = try? JSONValue(parsing: bytes), case .object = document,
              case .string(let type)? = document["type"], ["photo", "video", "link", "rich"].contains(type)
        else { return nil }
        var fields: [(String, Field)] = []
        for name in Self.textFields + Self.linkFields + Self.numberFields where !fields.contains(where: { $0.0 == name }) {
            switch document[name] {
            case .string(let text)? where Self.linkFields.contains(name):
                if let url = try? PreviewURL(text, allowedPorts: PreviewURL.anyPort), links.admits(url.host) {
                    fields.append((name, .text(url.description)))
                }
            case .string(let text)? where Self.textFields.contains(name):
                if let normalised = PageCard.normalised(text, limit: PageCard.maxTitle) { fields.append((name, .text(normalised))) }
            case .number(let value)? where Self.numberFields.contains(name):
                if value.isFinite, value >= 0, value <= 1_000_000_000, value == value.rounded() {
                    fields.append((name, .number(Int(value))))
                }
            default:
                continue
            }
        }
        self.fields = fields
    }

    public static func == (lhs: OEmbed, rhs: OEmbed) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
