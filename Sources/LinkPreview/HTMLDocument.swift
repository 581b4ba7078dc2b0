#if canImport(Glibc)
import Glibc
#endif
import CXML2

/// A fetched page read by libxml2's HTML parser (which recovers from broken
/// markup as browsers do, decodes entities and converts the page's charset to
/// UTF-8), reduced to the few elements a preview card needs. The only file of
/// link previews that touches libxml2's pointers. The parser reads no network
/// and no DTD; the walk stops after `maxNodes` nodes, so a page of a million
/// empty elements costs a bounded amount.
struct HTMLDocument {
    struct Element: Equatable {
        let name: String
        let attributes: [String: String]
        /// The text inside, for `title` only.
        let text: String?
    }

    static let maxNodes = 50_000
    static let interesting: Set<String> = ["title", "meta", "link", "base"]

    let elements: [Element]

    /// - Parameter charset: the charset the HTTP header named, if any; else libxml2 looks
    ///   at a BOM and `<meta charset>`, then assumes Windows-1252's superset as browsers do.
    init?(_ bytes: [UInt8], charset: String? = nil) {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max) else { return nil }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOIMPLIED.rawValue | HTML_PARSE_COMPACT.rawValue)
        let encoding = charset.flatMap { Self.knownCharset($0) }
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count), nil, encoding, options)
            }
        }
        guard let document else { return nil }
        defer { xmlFreeDoc(document) }
        var found: [Element] = []
        var visited = 0
        // Depth first without recursion: a deeply nested page cannot exhaust the stack.
        var next = document.pointee.children
        while let node = next, visited < Self.maxNodes {
            visited += 1
            if node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name {
                let tag = String(cString: name).lowercased()
                if Self.interesting.contains(tag) { found.append(Self.element(tag, node)) }
                if tag == "body" && found.contains(where: { $0.name == "title" }) {
                    // The card's facts live in the head; the body is read only for a missing title.
                    next = nil
                    break
                }
                if let child = node.pointee.children, tag != "title" {
                    next = child
                    continue
                }
            }
            next = Self.following(node)
        }
        elements = found
    }

    private static func following(_ node: xmlNodePtr) -> xmlNodePtr? {
        var current: xmlNodePtr? = node
        while let at = current {
            if let sibling = at.pointee.next { return sibling }
            current = at.pointee.parent
            if current?.pointee.type == XML_HTML_DOCUMENT_NODE || current?.pointee.type == XML_DOCUMENT_NODE { return nil }
        }
        return nil
    }

    private static func element(_ tag: String, _ node: xmlNodePtr) -> Element {
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        var count = 0
        while let at = attribute, count < 32 {
            count += 1
            if let name = at.pointee.name, let value = xmlNodeGetContent(UnsafeMutableRawPointer(at).assumingMemoryBound(to: xmlNode.self)) {
                attributes[String(cString: name).lowercased()] = String(cString: value)
                free(value)  // libxml2 allocates with malloc unless told otherwise
            }
            attribute = at.pointee.next
        }
        var text: String?
        if tag == "title", let content = xmlNodeGetContent(node) {
            text = String(cString: content)
            free(content)
        }
        return Element(name: tag, attributes: attributes, text: text)
    }

    /// Only names libxml2 knows by heart or through iconv; anything else is left to detection.
    private static func knownCharset(_ name: String) -> String? {
        let trimmed = String(name.lowercased().filter { $0 != " " && $0 != "\t" })
        guard !trimmed.isEmpty, trimmed.count <= 40, trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_:.".contains($0)) })
        else { return nil }
        return xmlFindCharEncodingHandler(trimmed) != nil ? trimmed : nil
    }
}
