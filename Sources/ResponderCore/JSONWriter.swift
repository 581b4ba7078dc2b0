/// Writes JSON straight into one byte buffer, keys in the order given.
///
/// Responses are small objects with known keys plus large base64 strings;
/// writing them directly avoids building a dictionary and copying the images
/// again through an encoder.
public struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// The two fields every answer of the API carries, as the Python worker wrote them:
    /// `"status": "ok"` with `"success": true`, or `"status": "error"` with `"success": false`.
    public mutating func envelope(ok: Bool) {
        envelope(ok: ok) { _ in }
    }

    /// The same two fields around `fields`, for the answers the Python worker wrote with
    /// `success` last (`/ping`, `/hello`), so their bytes stay as they were.
    public mutating func envelope(ok: Bool, around fields: (inout JSONWriter) -> Void) {
        field("status", ok ? "ok" : "error")
        fields(&self)
        field("success", ok)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        // The value that follows must not add another comma.
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    public mutating func string(_ value: String) { separate(); appendQuoted(value) }
    public mutating func bool(_ value: Bool) { separate(); bytes.append(contentsOf: Array((value ? "true" : "false").utf8)) }
    public mutating func int(_ value: Int) { separate(); bytes.append(contentsOf: Array(String(value).utf8)) }
    public mutating func null() { separate(); bytes.append(contentsOf: Array("null".utf8)) }

    /// A float as Swift prints it: the shortest text that reads back as the same value.
    public mutating func double(_ value: Double) {
        separate()
        let text = value.isFinite ? String(value) : "0"
        bytes.append(contentsOf: Array(text.utf8))
    }

    /// A base64 string of `data`, encoded straight into the buffer.
    public mutating func base64(_ data: [UInt8]) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Base64.append(data, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: String, _ value: Int) { key(name); int(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: String, _ value: Double) { key(name); double(value) }

    private mutating func separate() {
        guard !needsComma.isEmpty else { return }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
