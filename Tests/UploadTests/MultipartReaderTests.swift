import HTTPContentType
import Testing
@testable import Upload

/// The multipart reader on the RFC's own shapes and on hostile ones.
@Suite struct MultipartReaderTests {
    func parts(_ text: String, boundary: String = "XyZ") throws(UploadError) -> [(name: String?, body: String)] {
        let body = Array(text.utf8)
        return try MultipartReader(body: body, boundary: boundary).parts().map { part in
            (part.header("content-disposition").map { ContentTypeHeader($0).parameters["name"] ?? "" },
             String(decoding: body[part.body], as: UTF8.self))
        }
    }

    @Test func preambleEpilogueAndBlanksAfterTheBoundary_areAllowed() throws {
        let found = try parts("preamble\r\n--XyZ \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
                              + "--XyZ\r\n\r\ntwo\r\n--XyZ--\r\nepilogue --XyZ\r\n")
        #expect(found.map(\.name) == ["a", nil] && found.map(\.body) == ["one", "two"])
    }

    @Test("bodies that break the grammar are malformed, never a crash", arguments: [
        "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\none\n--XyZ--",          // LF line ends
        "--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\none\r\n--XyZ--", // folded header
        "--XyZ\r\nno colon here\r\n\r\none\r\n--XyZ--",
        "--XyZ\r\n: empty name\r\n\r\none\r\n--XyZ--",
        "--XyZ\r\nX-\u{E9}: 1\r\n\r\none\r\n--XyZ--",                                   // non-ASCII name
        "--XyZjunk\r\n\r\none\r\n--XyZ--",
        "--XyZ\r\n\r\none",                                                            // never closed
        "no boundary at all",
        "--XyZ",
        "--XyZ\r\n",
    ])
    func brokenGrammar_isMalformed(_ text: String) {
        #expect(throws: UploadError.self) { try parts(text) }
    }

    @Test func boundaryThatOverlapsItself_isFoundWhereItTrulyIs() throws {
        // Boundary "a--a": "---a--a--a" holds "--a--a" at offset 1, not at the start, and
        // "\r\n--a--a" nowhere: no delimiter, so the body is malformed (a poison body once).
        #expect(throws: UploadError.self) { try parts("---a--a--a\r\n\u{80}x: 1\r\n\r\n", boundary: "a--a") }
        let found = try parts("--a--a\r\n\r\nx--a--a\r\n--a--b\r\n--a--a--", boundary: "a--a")
        #expect(found.map(\.body) == ["x--a--a\r\n--a--b"])
    }

    @Test func headerAndPartLimits_hold() {
        let longHeader = "--XyZ\r\nX: " + String(repeating: "v", count: MultipartReader.maxHeaderBytes) + "\r\n\r\none\r\n--XyZ--"
        #expect(throws: UploadError.self) { try parts(longHeader) }
        let manyParts = String(repeating: "--XyZ\r\n\r\nx\r\n", count: MultipartReader.maxParts + 1) + "--XyZ--"
        #expect(throws: UploadError.self) { try parts(manyParts) }
    }

    @Test("boundaries outside RFC 2046's alphabet are refused", arguments: ["", "a;b", "bad\r\n", "ends ", String(repeating: "b", count: 71)])
    func invalidBoundary_isRefused(_ boundary: String) {
        #expect(!MultipartReader.isValidBoundary(boundary))
    }

    @Test func randomBoundariesAndBodies_roundTrip() throws {
        var generator = SplitMix(seed: 7)
        let alphabet = Array("ab-".utf8)
        for _ in 0..<500 {
            let boundary = String(decoding: (0..<generator.next(1...6)).map { _ in alphabet[generator.next(0...2)] }, as: UTF8.self)
            let bodies = (0..<generator.next(1...3)).map { _ in
                (0..<generator.next(0...24)).map { _ in [0x0D, 0x0A, 0x2D, 0x61, 0x62, 0x00, 0xFF][generator.next(0...6)] as UInt8 }
            }
            var text: [UInt8] = []
            for body in bodies { text += Array("--\(boundary)\r\n\r\n".utf8) + body + [0x0D, 0x0A] }
            text += Array("--\(boundary)--".utf8)
            // Whatever the reader makes of it, it answers (or refuses) without trapping; when no
            // body holds CRLF + delimiter, it finds exactly the bodies written.
            let delimiter = Array("\r\n--\(boundary)".utf8)
            let clean = bodies.allSatisfy { body in
                let padded = body + [0x0D, 0x0A] + Array("--\(boundary)".utf8)
                return firstIndex(of: delimiter, in: [0x0D, 0x0A] + padded) == body.count + 2
            }
            let found = try? MultipartReader(body: text, boundary: boundary).parts().map { Array(text[$0.body]) }
            if clean { #expect(found == bodies, "boundary \(boundary)") }
        }
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// A small deterministic generator, so a failing case can be found again.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ range: ClosedRange<Int>) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return range.lowerBound + Int(z % UInt64(range.count))
    }
}
