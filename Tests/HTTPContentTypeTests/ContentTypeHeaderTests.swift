import Testing
import HTTPContentType

@Suite struct ContentTypeHeaderTests {
    @Test func parameters_areParsed_caseInsensitively() {
        let header = ContentTypeHeader("Multipart/Form-Data ; Boundary=abc ; charset=\"utf-8\"")
        #expect(header.mediaType == "multipart/form-data")
        #expect(header.boundary == "abc")
        #expect(header.parameters["charset"] == "utf-8")
    }

    @Test func overlongBoundary_isRejected() {
        #expect(ContentTypeHeader("multipart/form-data; boundary=\(String(repeating: "x", count: 71))").boundary == nil)
    }
}
