import Testing
@testable import LinkPreview

@Suite struct JSONValueTests {
    func parse(_ text: String) -> JSONValue? { try? JSONValue(parsing: Array(text.utf8)) }

    @Test func documents_parse_withEscapesAndNumbers() throws {
        let value = try #require(parse(#" {"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "o": {}} "#))
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(value["s"] == .string("x\"\\/\n\u{E9}\u{1F600}"))
        #expect(value["o"] == .object([]))
        #expect(value["missing"] == nil)
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "1e", "+1", "NaN", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\u{01} control\"", "\"\\u12\"", "{\"a\" 1}", "[1 2]", "1 2", "{\"a\":1}}",
    ])
    func malformed_isRefused(_ text: String) {
        #expect(parse(text) == nil, "\(text)")
    }

    @Test func deepNesting_stopsAtTheLimit_withoutRecursingFurther() {
        let shallow = String(repeating: "[", count: JSONValue.maxDepth - 1) + String(repeating: "]", count: JSONValue.maxDepth - 1)
        #expect(parse(shallow) != nil)
        // A million brackets cost one failed parse, not a stack overflow.
        #expect(parse(String(repeating: "[", count: 1_000_000)) == nil)
    }

    @Test func loneSurrogates_becomeReplacementCharacters() {
        #expect(parse(#""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(parse(#""\udc00""#) == .string("\u{FFFD}"))
    }
}
