import Foundation
import Testing
@testable import ImageKit

@Suite struct IcoDirectoryTests {
    @Test func entriesOutsideTheFile_areRejected() {
        var bytes: [UInt8] = [0, 0, 1, 0, 1, 0]
        bytes += [16, 16, 0, 0, 1, 0, 32, 0] + [0xFF, 0, 0, 0] + [22, 0, 0, 0]
        #expect(IcoDirectory(ImageBytes(copying: bytes)) == nil)
    }
}
