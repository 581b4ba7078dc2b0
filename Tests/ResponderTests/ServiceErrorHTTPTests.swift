import Foundation
import Testing
@testable import Responder
@testable import ResponderCore

/// The one map from errors to HTTP, checked against itself and against docs/openapi.yaml.
@Suite struct ServiceErrorHTTPTests {
    @Test func everyError_hasAStatusCodeAndFixedMessage() {
        let all: [ServiceError] = [
            .noFile, .unsupportedType(detail: "/secret/path"), .notJPEG, .badParameter("box"), .corruptImage(detail: "vips: x"),
            .tooLarge(limit: 1), .tooManyPixels(limit: 1), .tooManyFrames(limit: 1), .timeout, .overloaded,
            .notFound, .methodNotAllowed(allowed: ["GET"]), .notImplemented, .internalError(detail: "/secret/path"),
        ]
        for error in all {
            #expect((400...599).contains(error.status))
            #expect(!error.code.isEmpty)
            #expect(!error.publicMessage.contains("/secret"))
        }
        #expect(ServiceError.internalError(detail: "").code == "internal")
        #expect(ServiceError.tooManyPixels(limit: 1).status == 422)
    }

    @Test func overloaded_carriesRetryAfter() {
        let response = Response.error(.overloaded)
        #expect(response.status == 503)
        #expect(response.headers.contains { $0.0 == "Retry-After" })
    }

    @Test func everyRoute_isInTheOpenAPIDocument_andEveryCodeToo() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        for route in Routes.table where route.label != "debug" {
            let path: String
            switch route.path {
            case .exact(let exact): path = exact
            case .prefix(let prefix): path = prefix + "{box}"
            }
            #expect(document.contains("\n  \(path):\n"), "\(path) is missing from docs/openapi.yaml")
        }
        // The link-preview pool's one route.
        #expect(document.contains("\n  /links/preview:\n"), "/links/preview is missing from docs/openapi.yaml")
        for code in MetricLabels.codes.dropFirst() {
            #expect(document.contains(code), "error code \(code) is missing from docs/openapi.yaml")
        }
    }
}
