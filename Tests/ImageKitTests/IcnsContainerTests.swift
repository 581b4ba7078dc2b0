import Foundation
import Testing
@testable import ImageKit

@Suite struct IcnsContainerTests {
    @Test func chunksPastTheEnd_areRefused() {
        let bytes: [UInt8] = Array("icns".utf8) + [0, 0, 0, 100] + Array("ic09".utf8) + [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(IcnsContainer(ImageBytes(copying: bytes)) == nil)
    }
}
