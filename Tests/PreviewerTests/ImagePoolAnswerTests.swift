import Testing
@testable import Previewer
@testable import ResponderCore

/// The image pool's FastCGI answer, read as untrusted by the fetchers.
@Suite struct ImagePoolAnswerTests {
    static func answer(_ head: String, _ body: String = "IMG") -> [UInt8] { Array((head + "\r\n\r\n" + body).utf8) }

    @Test func aFit_givesTheImageAndItsFacts_asTheImagePoolWritesThem() throws {
        let written = Response(contentType: "image/webp",
                               headers: FittedImageFacts(width: 600, height: 400, sourceType: "image/gif").headers,
                               body: Array("IMG".utf8))
        let fitted = try ImagePoolClient.read(written.headerBlock + written.body)
        #expect(fitted.bytes == Array("IMG".utf8) && fitted.mimeType == "image/webp")
        #expect(fitted.facts == FittedImageFacts(width: 600, height: 400, sourceType: "image/gif"))
    }

    @Test func aRefusal_carriesItsStatus() {
        let refused = Response.error(.corruptImage(detail: ""))
        #expect(throws: ImagePoolClient.Failure.self) { try ImagePoolClient.read(refused.headerBlock + refused.body) }
        do {
            _ = try ImagePoolClient.read(refused.headerBlock + refused.body)
        } catch {
            guard case .refused(let status, let detail) = error else { Issue.record("\(error)"); return }
            #expect(status == 400 && detail.contains("corrupt_image"))
        }
    }

    @Test("malformed answers", arguments: [
        "Status: 200 OK\r\nContent-Type: image/png",  // no facts
        "Status: 200 OK\r\nContent-Type: text/html\r\nX-Image-Width: 1\r\nX-Image-Height: 1\r\nX-Source-Type: image/png",
        "Status: 200 OK\r\nContent-Type: image/png\r\nX-Image-Width: 0\r\nX-Image-Height: 1\r\nX-Source-Type: image/png",
        "Status: 200 OK\r\nContent-Type: image/png\r\nX-Image-Width: 99999999\r\nX-Image-Height: 1\r\nX-Source-Type: image/png",
        "Status: 200 OK\r\nContent-Type: image/png\r\nX-Image-Width: -4\r\nX-Image-Height: 1\r\nX-Source-Type: image/png",
        "Status: 200 OK\r\nno colon here",
    ])
    func malformedAnswers_areRefused(_ head: String) {
        #expect(throws: ImagePoolClient.Failure.self) { try ImagePoolClient.read(Self.answer(head)) }
    }

    @Test func anAnswerWithoutAHeaderBlock_orWithoutABody_isRefused() {
        #expect(throws: ImagePoolClient.Failure.self) { try ImagePoolClient.read(Array("IMG".utf8)) }
        #expect(throws: ImagePoolClient.Failure.self) { try ImagePoolClient.read(Array(repeating: 65, count: 9000) + Self.answer("")) }
        let noBody = Self.answer("Status: 200 OK\r\nContent-Type: image/png\r\nX-Image-Width: 1\r\nX-Image-Height: 1\r\nX-Source-Type: image/png", "")
        #expect(throws: ImagePoolClient.Failure.self) { try ImagePoolClient.read(noBody) }
    }
}
