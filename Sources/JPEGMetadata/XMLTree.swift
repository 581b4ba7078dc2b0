#if canImport(Glibc)
import Glibc
#endif
import Bytes
import CXMLShim

/// An XMP packet parsed by libxml2 into a tree, edited there and written back.
///
/// The only file that holds libxml2's handles (through the C shim). XMP is attacker-written XML, so
/// the parser never reads the network, never loads a DTD, never substitutes
/// entities, and packets that declare a document type are refused before parsing.
final class XMLTree {
    private let document: OpaquePointer

    /// Which elements and attributes to remove, by name, compared byte for byte with
    /// libxml2's own strings (no string is made per node).
    struct NameRule {
        /// Local names containing these ASCII letters, in any case, in any namespace.
        var containing: [UInt8] = []
        /// Exact namespace and local name pairs.
        var exact: [(namespace: String, localName: String)] = []
    }

    /// nil when the bytes are not one well-formed XML document.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max), !Self.declaresDocumentType(bytes) else { return nil }
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { rw_xml_read_xmp($0, Int32(buffer.count)) }
        }
        guard let parsed else { return nil }
        document = parsed
    }

    deinit { rw_xml_free_document(document) }

    private static let doctype: [UInt8] = Array("<!doctype".utf8)

    /// `<!DOCTYPE` anywhere: internal entities are how XML bombs and external reads start.
    /// memchr finds each '<', so a packet costs one pass.
    private static func declaresDocumentType(_ bytes: ArraySlice<UInt8>) -> Bool {
        let reader = bytes.reader
        let keyword = doctype
        return bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            guard let base = buffer.baseAddress else { return false }
            var offset = 0
            while offset < buffer.count, let hit = memchr(base + offset, 0x3C, buffer.count - offset) {
                let at = UnsafeRawPointer(hit) - base
                if reader.matchesIgnoringCase(keyword, at: at) { return true }
                offset = at + 1
            }
            return false
        }
    }

    /// Removes every element and attribute whose name the rule names, with everything
    /// inside the removed elements; returns how many were removed.
    func remove(_ rule: NameRule) -> Int {
        let matcher = NameMatcher(rule)
        var removed = 0
        var stack: [OpaquePointer] = []
        var child = rw_xml_document_first_child(document)
        while let node = child {
            stack.append(node)
            child = rw_xml_node_next(node)
        }
        while let node = stack.popLast() {
            guard rw_xml_node_is_element(node) != 0 else { continue }
            if matcher.matches(rw_xml_node_name(node), rw_xml_node_namespace(node)) {
                rw_xml_remove_node(node)
                removed += 1
                continue
            }
            var attribute = rw_xml_node_first_attribute(node)
            while let current = attribute {
                attribute = rw_xml_attribute_next(current)
                if matcher.matches(rw_xml_attribute_name(current), rw_xml_attribute_namespace(current)) {
                    rw_xml_remove_attribute(current)
                    removed += 1
                }
            }
            var inner = rw_xml_node_first_child(node)
            while let next = inner {
                stack.append(next)
                inner = rw_xml_node_next(next)
            }
        }
        return removed
    }

    /// The document written back as UTF-8, without an XML declaration (XMP packets have none).
    func serialized() -> [UInt8] {
        var length = 0
        guard let content = rw_xml_serialize(document, &length) else { return [] }
        defer { rw_xml_free_text(content) }
        return Array(UnsafeBufferPointer(start: content, count: length))
    }
}

/// A `NameRule` applied to libxml2's zero-terminated names.
private struct NameMatcher {
    let containing: [UInt8]
    let exact: [(namespace: [UInt8], localName: [UInt8])]

    init(_ rule: XMLTree.NameRule) {
        containing = rule.containing.map { $0 | 0x20 }
        exact = rule.exact.map { (Array($0.namespace.utf8), Array($0.localName.utf8)) }
    }

    func matches(_ local: UnsafePointer<UInt8>?, _ namespace: UnsafePointer<UInt8>?) -> Bool {
        guard let local else { return false }
        if !containing.isEmpty && contains(local) { return true }
        return exact.contains { equal(local, $0.localName) && equal(namespace, $0.namespace) }
    }

    /// Whether the name holds `containing`, ASCII case folded; one pass, since the
    /// needle's first letter does not recur in it.
    private func contains(_ name: UnsafePointer<UInt8>) -> Bool {
        var matched = 0
        var index = 0
        while name[index] != 0 {
            let raw: UInt8 = name[index]
            let byte: UInt8 = raw >= 0x41 && raw <= 0x5A ? raw | 0x20 : raw
            if byte == containing[matched] {
                matched += 1
            } else {
                matched = byte == containing[0] ? 1 : 0
            }
            if matched == containing.count { return true }
            index += 1
        }
        return false
    }

    private func equal(_ name: UnsafePointer<UInt8>?, _ expected: [UInt8]) -> Bool {
        guard let name else { return expected.isEmpty }
        for index in 0..<expected.count where name[index] != expected[index] { return false }
        return name[expected.count] == 0
    }
}
