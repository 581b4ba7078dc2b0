import Foundation
import Testing

/// Every error row of the contract that applies, through nginx.
@Suite struct ErrorResponseTests {
    var stack: WorkerStack { get async throws { try await WorkerStack.shared } }
    let photo = try! Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("photo-1024x683.jpg"))

    func expectError(_ response: WorkerStack.HTTPResponse, status: Int, code: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
        let json = response.json
        #expect(Set(json.keys) == ["status", "success", "message", "code"], sourceLocation: sourceLocation)
        #expect(json["status"] as? String == "error", sourceLocation: sourceLocation)
        #expect(json["success"] as? Bool == false, sourceLocation: sourceLocation)
        #expect(json["code"] as? String == code, sourceLocation: sourceLocation)
        #expect((json["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(response.contentType.hasPrefix("application/json"), sourceLocation: sourceLocation)
    }

    @Test func multipartWithoutFilePart_isNoFile() async throws {
        expectError(try await stack.post("/images/info", file: photo, field: "picture"), status: 400, code: "no_file")
    }

    @Test func emptyBody_isNoFile() async throws {
        expectError(try await stack.post("/images/fit/100", body: Data(), contentType: nil), status: 400, code: "no_file")
    }

    @Test func textBody_isUnsupportedType() async throws {
        let response = try await stack.post("/images/rescale_avatar", file: Data("hello, world\n".utf8))
        expectError(response, status: 400, code: "unsupported_type")
        #expect(response.json["message"] as? String == "Unable to determine the file type")
    }

    @Test func prepareJpeg_givenPNG_isNotJpeg() async throws {
        let png = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("plain.png"))
        let response = try await stack.post("/images/prepare_jpeg", file: png)
        expectError(response, status: 400, code: "not_jpeg")
        #expect(response.json["message"] as? String == "This endpoint is only for processing JPEG images")
    }

    @Test("a bad box is a 400 bad_parameter", arguments: ["0", "-5", "abc", "1.5", "4097", "99999999999", "", "12x"])
    func badBox(_ box: String) async throws {
        expectError(try await stack.post("/images/fit/\(box)", file: photo), status: 400, code: "bad_parameter")
    }

    @Test func corruptImage_isCorrupt() async throws {
        let truncated = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("truncated.jpg"))
        expectError(try await stack.post("/images/fit/100", file: truncated), status: 400, code: "corrupt_image")
    }

    @Test func pixelBomb_isRefusedFromTheHeader() async throws {
        let bomb = try Data(contentsOf: Manifest.testImagesDirectory.appendingPathComponent("pixel-bomb-10000x10000.png"))
        expectError(try await stack.post("/images/rescale_avatar", file: bomb), status: 422, code: "too_many_pixels")
    }

    @Test func bodyOverTheWorkersLimit_isTooLarge() async throws {
        // The test pool allows 6 MiB, nginx 20 MiB: the responder's own check answers.
        let big = Data(count: 7 * 1024 * 1024)
        expectError(try await stack.post("/images/info", body: big, contentType: "application/octet-stream"),
                    status: 413, code: "too_large")
    }

    @Test func bodyOverNginxLimit_isTooLargeFromNginx() async throws {
        let huge = Data(count: 21 * 1024 * 1024)
        expectError(try await stack.post("/images/info", body: huge, contentType: "application/octet-stream"),
                    status: 413, code: "too_large")
    }

    @Test func unknownPath_isNotFound() async throws {
        expectError(try await stack.get("/images/nothing-here"), status: 404, code: "not_found")
    }

    @Test func wrongMethod_isNotAllowed() async throws {
        expectError(try await stack.post("/ping", body: Data("x".utf8), contentType: "text/plain"),
                    status: 405, code: "method_not_allowed")
    }
}
