import Testing
@testable import ResponderCore

/// The one map from errors to HTTP, checked over every case of the type.
@Suite struct ServiceErrorHTTPTests {
    @Test("every error has a status, a code and a fixed message", arguments: ServiceError.Kind.allCases)
    func everyError_hasAStatusCodeAndFixedMessage(_ kind: ServiceError.Kind) {
        let error = kind.example
        #expect(error.kind == kind)
        #expect((400...599).contains(error.status))
        #expect(!error.code.isEmpty && error.code.allSatisfy { $0.isLowercase || $0 == "_" })
        let response = Response.error(error)
        #expect(response.status == error.status)
        #expect(String(decoding: response.body, as: UTF8.self).contains("\"code\":\"\(error.code)\""))
    }

    @Test func details_reachTheLog_notTheClient() {
        let leaky: [ServiceError] = [
            .unsupportedType(detail: "/secret/path"), .corruptImage(detail: "/secret/path"), .internalError(detail: "/secret/path"),
            .unsupportedContent(detail: "/secret/path"), .fetchFailed(detail: "/secret/path", targetStatus: nil),
        ]
        for error in leaky {
            #expect(!error.publicMessage.contains("/secret"))
            #expect(error.logDetail == "/secret/path")
        }
        #expect(ServiceError.internalError(detail: "").code == "internal")
        #expect(ServiceError.tooManyPixels(limit: 1).status == 422)
    }

    @Test func overloaded_carriesRetryAfter_andNotAllowed_carriesAllow() {
        let busy = Response.error(.overloaded)
        #expect(busy.status == 503)
        #expect(busy.headers.contains { $0 == ("Retry-After", "1") })
        let refused = Response.error(.methodNotAllowed(allowed: ["GET", "HEAD"]))
        #expect(refused.headers.contains { $0 == ("Allow", "GET, HEAD") })
    }

    @Test func metricCodes_areOkThenEveryKind_inScoreboardOrder() {
        #expect(MetricLabels.codes.first == "ok")
        #expect(MetricLabels.codes.count == ServiceError.Kind.allCases.count + 1)
        #expect(MetricLabels.codeIndex(nil) == 0)
        for kind in ServiceError.Kind.allCases {
            #expect(MetricLabels.codes[MetricLabels.codeIndex(kind.example)] == kind.example.code)
        }
    }
}
