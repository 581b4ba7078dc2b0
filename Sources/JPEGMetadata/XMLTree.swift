import CXML2

/// An XMP packet parsed by libxml2 into a tree, edited there and written back.
///
/// The only file that touches libxml2's pointers. XMP is attacker-written XML, so
/// the parser never reads the network, never loads a DTD, never substitutes
/// entities, and packets that declare a document type are refused before parsing.
final class XMLTree {
    private let document: xmlDocPtr

    /// A node's place in the tree as the scrubber sees it: namespace and local name.
    struct Name {
        let namespace: String
        let localName: String
    }

    /// nil when the bytes are not one well-formed XML document.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty, bytes.count < Int(Int32.max), !Self.declaresDocumentType(bytes) else { return nil }
        XMLTree.initialise
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
                }
            }
        }
        guard let parsed else { return nil }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    private static let initialise: Void = { xmlInitParser() }()

    /// `<!DOCTYPE` anywhere: internal entities are how XML bombs and external reads start.
    private static func declaresDocumentType(_ bytes: ArraySlice<UInt8>) -> Bool {
        let needle = Array("<!doctype".utf8)
        var matched = 0
        for byte in bytes {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            matched = lower == needle[matched] ? matched + 1 : (lower == needle[0] ? 1 : 0)
            if matched == needle.count { return true }
        }
        return false
    }

    /// Removes every element and attribute whose name `matches`, with everything inside
    /// the removed elements; returns how many were removed.
    func remove(where matches: (Name) -> Bool) -> Int {
        var removed = 0
        var stack: [xmlNodePtr] = []
        var child = document.pointee.children
        while let node = child {
            stack.append(node)
            child = node.pointee.next
        }
        while let node = stack.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE else { continue }
            if matches(Self.name(node.pointee.name, node.pointee.ns)) {
                xmlUnlinkNode(node)
                xmlFreeNode(node)
                removed += 1
                continue
            }
            var attribute = node.pointee.properties
            while let current = attribute {
                attribute = current.pointee.next
                if matches(Self.name(current.pointee.name, current.pointee.ns)) {
                    xmlRemoveProp(current)
                    removed += 1
                }
            }
            var inner = node.pointee.children
            while let next = inner {
                stack.append(next)
                inner = next.pointee.next
            }
        }
        return removed
    }

    /// The document written back as UTF-8, without an XML declaration (XMP packets have none).
    func serialized() -> [UInt8] {
        guard let buffer = xmlBufferCreate() else { return [] }
        defer { xmlBufferFree(buffer) }
        var node = document.pointee.children
        while let current = node {
            _ = xmlNodeDump(buffer, document, current, 0, 0)
            node = current.pointee.next
        }
        guard let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    private static func name(_ local: UnsafePointer<xmlChar>?, _ namespace: xmlNsPtr?) -> Name {
        Name(namespace: namespace?.pointee.href.map { String(cString: $0) } ?? "",
             localName: local.map { String(cString: $0) } ?? "")
    }
}
