import Foundation
import Testing
@testable import Previewer
@testable import Responder
@testable import ResponderCore

/// docs/openapi.yaml against the route tables of both pools and every error code.
@Suite struct OpenAPIDocumentTests {
    static let document: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)) ?? ""
    }()

    /// Every documented path of either pool (the debug build's fault injection is not the API).
    static var routedPaths: [String] {
        Routes.table.routes.filter { $0.label != "debug" }.map(\.documentedPath)
            + PreviewRoutes.table.routes.map(\.documentedPath)
    }

    @Test func everyRouteOfEveryPool_isInTheDocument() {
        #expect(!Self.document.isEmpty)
        for path in Self.routedPaths {
            #expect(Self.document.contains("\n  \(path):\n"), "\(path) is missing from docs/openapi.yaml")
        }
    }

    @Test func everyDocumentedPath_hasARoute() {
        let documented = Self.document.split(separator: "\n").filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }
            .map { String($0.dropFirst(2).dropLast()) }
        #expect(!documented.isEmpty)
        #expect(Set(documented) == Set(Self.routedPaths), "documented \(documented), routed \(Self.routedPaths)")
    }

    @Test func everyErrorCode_isInTheDocument() {
        for code in MetricLabels.codes.dropFirst() {
            #expect(Self.document.contains(code), "error code \(code) is missing from docs/openapi.yaml")
        }
    }
}
