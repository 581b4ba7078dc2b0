import Foundation
import Testing
@testable import ImageKit

/// Starts libvips once for the whole test process, whichever suite asks first.
///
/// Suites run in parallel, and libvips' start-up is not safe to run twice at once:
/// a static constant's initialiser runs exactly once, the others wait for it.
struct VipsTrait: SuiteTrait, TestScoping {
    private static let started = Result { try VipsRuntime.start(concurrency: 1) }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try Self.started.get()
        try await function()
    }
}

extension Trait where Self == VipsTrait {
    static var vips: Self { VipsTrait() }
}

/// The bytes of a file in TestImages/.
func testImageBytes(_ name: String) throws -> [UInt8] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    return [UInt8](try Data(contentsOf: root.appendingPathComponent("TestImages/\(name)")))
}

/// A file in TestImages/ as the upload type the facade takes.
func testImage(_ name: String) throws -> ImageBytes {
    ImageBytes(copying: try testImageBytes(name))
}
