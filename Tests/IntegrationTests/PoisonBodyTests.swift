import Foundation
import Testing

/// Bodies built to break a multipart reader: overlapping delimiters, bytes no header
/// allows, parts without end. On every processing endpoint each gets a JSON 4xx,
/// and no responder dies of one.
@Suite struct PoisonBodyTests {
    static let endpoints = ["/images/prepare_jpeg", "/images/fit/100", "/images/rescale_avatar",
                            "/images/resize_avatar", "/images/info"]

    /// (content type, body): each a way a hostile or broken client writes a form.
    static let bodies: [(String?, [UInt8])] = {
        let crlf: [UInt8] = [13, 10]
        func text(_ string: String) -> [UInt8] { Array(string.utf8) }
        var family: [(String?, [UInt8])] = [
            // The delimiter overlaps itself; the part header's name starts with a byte no header allows.
            ("multipart/form-data; boundary=a--a", text("---a--a--a") + crlf + [0x80] + text(": x") + crlf + crlf),
            ("multipart/form-data; boundary=a--a", text("--a--a--a--a--") + crlf),
            ("multipart/form-data; boundary=aa", text("--aa--aa") + crlf + text("--aa") + crlf),
            ("multipart/form-data; boundary=-", text("-----") + crlf + text("---") + crlf),
            ("multipart/form-data; boundary=x", text("--x") + crlf + [0xFF, 0xFE, 0x00] + crlf + crlf + text("data") + crlf + text("--x--")),
            // A file part that never ends.
            ("multipart/form-data; boundary=x", text("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\u{FF}\u{D8}\u{FF}")),
            // Headers that never end.
            ("multipart/form-data; boundary=x", text("--x\r\nContent-Disposition: form-data; name=\"file\"") + [UInt8](repeating: 0x41, count: 70_000)),
            // Many empty parts.
            ("multipart/form-data; boundary=x", Array(repeating: text("--x\r\n\r\n\r\n"), count: 5_000).flatMap { $0 } + text("--x--\r\n")),
            // No boundary, an empty one, one too long, one quoted oddly.
            ("multipart/form-data", text("--x\r\n\r\n--x--")),
            ("multipart/form-data; boundary=", text("--\r\n\r\n----")),
            ("multipart/form-data; boundary=" + String(repeating: "b", count: 200), text("--b\r\n")),
            ("multipart/form-data; boundary=\"a\"b\"", text("--a\r\n\r\n--a--")),
            // Not a form at all, and no type.
            ("text/plain", text("hello")),
            (nil, [0xFF, 0xD8, 0xFF, 0xE0]),
            ("multipart/form-data; boundary=x", []),
        ]
        // Random bytes after a valid opening, with a fixed seed so a failure repeats.
        var generator = SeededGenerator(seed: 13)
        for length in [1, 17, 300, 4096] {
            let noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            family.append(("multipart/form-data; boundary=zz", text("--zz\r\n") + noise))
        }
        return family
    }()

    @Test func everyPoisonBody_onEveryEndpoint_getsJSON4xx_andCrashesNothing() async throws {
        let stack = try await WorkerStack.shared
        let crashesBefore = try await stack.get("/status").json["crashes"] as? Int
        for endpoint in Self.endpoints {
            for (index, (type, body)) in Self.bodies.enumerated() {
                let response = try await stack.post(endpoint, body: Data(body), contentType: type)
                #expect((400..<500).contains(response.status), "\(endpoint) body \(index): \(response.status) \(response.text.prefix(200))")
                #expect(response.json["success"] as? Bool == false && response.json["code"] is String,
                        "\(endpoint) body \(index): \(response.text.prefix(200))")
            }
        }
        let crashesAfter = try await stack.get("/status").json["crashes"] as? Int
        #expect(crashesBefore != nil && crashesAfter == crashesBefore, "responders crashed: \(String(describing: crashesBefore)) → \(String(describing: crashesAfter))")
    }
}

/// xorshift64*: the same bytes on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
