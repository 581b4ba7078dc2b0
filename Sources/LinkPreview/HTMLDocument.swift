#if canImport(Glibc)
import Glibc
#endif
import CXMLShim

/// A fetched page read by libxml2's HTML parser (which recovers from broken
/// markup as browsers do and decodes entities), reduced to the few elements a
/// preview card needs. The bytes are decoded first, as browsers decode them
/// (`EncodingSniffer`, `PageEncoding`): libxml2 gets valid UTF-8 and is told to
/// keep it, so neither an invalid byte nor a `<meta charset>` deep in the page
/// changes what it reads. The only file of link previews that holds libxml2's
/// handles (through the C shim). The parser reads no network and no DTD; the
/// walk stops after `maxNodes` nodes, so a page of a million empty elements
/// costs a bounded amount.
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

    /// - Parameter charset: the charset the HTTP header named, if any; it loses only to a byte order mark.
    init?(_ bytes: [UInt8], charset: String? = nil) {
        let text = PageEncoding.decodePage(bytes, transportCharset: charset)
        guard !text.isEmpty, text.count < Int(Int32.max) else { return nil }
        let document = text.withUnsafeBufferPointer { buffer in rw_html_read_utf8(buffer.baseAddress, Int32(buffer.count)) }
        guard let document else { return nil }
        defer { rw_xml_free_document(document) }
        var found: [Element] = []
        var visited = 0
        // Depth first without recursion: a deeply nested page cannot exhaust the stack.
        var next = rw_xml_document_first_child(document)
        while let node = next, visited < Self.maxNodes {
            visited += 1
            if rw_xml_node_is_element(node) != 0, let name = rw_xml_node_name(node) {
                let tag = String(cString: name).lowercased()
                // The whole document, not the head alone: pages without a <head> tag, or with a
                // discovery link after the first text, put some of them in the body.
                if Self.interesting.contains(tag) { found.append(Self.element(tag, node)) }
                if let child = rw_xml_node_first_child(node), tag != "title" {
                    next = child
                    continue
                }
            }
            next = Self.following(node)
        }
        elements = found
    }

    private static func following(_ node: OpaquePointer) -> OpaquePointer? {
        var current: OpaquePointer? = node
        while let at = current {
            if let sibling = rw_xml_node_next(at) { return sibling }
            current = rw_xml_node_parent(at)
        }
        return nil
    }

    private static func element(_ tag: String, _ node: OpaquePointer) -> Element {
        var attributes: [String: String] = [:]
        var attribute = rw_xml_node_first_attribute(node)
        var count = 0
        while let at = attribute, count < 32 {
            count += 1
            if let name = rw_xml_attribute_name(at), let value = rw_xml_attribute_value(at) {
                // The first of a repeated attribute counts, as in browsers.
                let key = String(cString: name).lowercased()
                if attributes[key] == nil { attributes[key] = String(cString: value) }
                rw_xml_free_text(value)
            }
            attribute = rw_xml_attribute_next(at)
        }
        var text: String?
        if tag == "title", let content = rw_xml_node_text(node) {
            text = String(cString: content)
            rw_xml_free_text(content)
        }
        return Element(name: tag, attributes: attributes, text: text)
    }
}
