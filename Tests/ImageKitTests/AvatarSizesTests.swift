import Foundation
import Testing
@testable import ImageKit

@Suite struct AvatarSizesTests {
    @Test("avatar sizes", arguments: [
        (1, 1, false, [24, 48, 73]), (127, 500, false, [24, 48, 73]), (128, 128, false, [24, 48, 73, 128]),
        (300, 600, false, [24, 48, 73, 128, 256]), (4000, 3000, false, [24, 48, 73, 128, 256, 512]),
        (10, 10, true, [24, 48, 73, 128, 256, 512]),
    ])
    func avatarSizes_followTheShortSide(_ width: Int, _ height: Int, _ vector: Bool, _ expected: [Int]) {
        #expect(avatarSizes(width: width, height: height, isVector: vector) == expected)
    }
}
