import CCrypto

/// Signed links, for the forum's pages: a link a member's browser may ask the worker
/// about (a preview, a proxied image) carries the signature of what it asks for, made
/// by the forum with a key it shares with the worker, so nobody else can make the
/// worker fetch anything. The signature is HMAC-SHA256 of a purpose and the request's
/// canonical text under the key, truncated to 16 bytes and written in URL-safe base64
/// without padding (22 characters). Checked against every key in turn (rotation), each
/// comparison in constant time.
public struct LinkSignature: Sendable {
    /// What a signature is for, so one signed for a preview is no good for anything else.
    public enum Purpose: String, Sendable {
        case preview
        case imageProxy = "image-proxy"
    }

    public static let length = 22

    private let keys: [[UInt8]]

    /// - Parameter keys: the first signs; all verify. None: nothing is signed and nothing verifies.
    public init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    public var isEnabled: Bool { !keys.isEmpty }

    /// The signature of `text` for `purpose` under the first key; nil without keys.
    public func sign(_ text: String, for purpose: Purpose) -> String? {
        keys.first.map { Self.signature(key: $0, message: Self.message(text, purpose)) }
    }

    /// Whether `signature` signs `text` for `purpose` under one of the keys.
    public func verifies(_ signature: String, of text: String, for purpose: Purpose) -> Bool {
        let given = Array(signature.utf8)
        guard given.count == Self.length else { return false }
        let message = Self.message(text, purpose)
        var matched = false
        // Every key is tried, whichever matches: the time says nothing about which one did.
        for key in keys {
            let expected = Array(Self.signature(key: key, message: message).utf8)
            let same = expected.withUnsafeBytes { e in given.withUnsafeBytes { g in CRYPTO_memcmp(e.baseAddress, g.baseAddress, Self.length) } }
            matched = matched || same == 0
        }
        return matched
    }

    /// The purpose, a newline (which a link never holds), the text.
    static func message(_ text: String, _ purpose: Purpose) -> [UInt8] {
        Array(purpose.rawValue.utf8) + [0x0A] + Array(text.utf8)
    }

    static func signature(key: [UInt8], message: [UInt8]) -> String {
        urlSafeBase64(Array(hmacSHA256(key: key, message: message).prefix(16)))
    }

    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self),
                         m.count, &digest, &length)
            }
        }
        return digest
    }

    static func urlSafeBase64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var at = 0
        while at < bytes.count {
            let chunk = bytes[at..<min(at + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for index in 0...chunk.count { out.append(alphabet[(value >> (18 - 6 * index)) & 63]) }
            at += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
