import Foundation
import Testing
@testable import ImageKit

/// Limits checked from the header, before anything is decoded.
@Suite struct ProbeHeaderTests {
    @Test func limits_catchOverflowingDimensions() {
        let limits = ImageLimits(maxPixels: 100, maxFrames: 5, maxTotalPixels: 300)
        let huge = ImageInfo(format: .png, width: Int.max / 2, height: 4, frames: 1, orientation: 1)
        #expect(throws: ImageError.tooManyPixels(limit: 100)) { try checkLimits(huge, limits) }
        let long = ImageInfo(format: .gif, width: 10, height: 10, frames: 4, orientation: 1)
        #expect(throws: ImageError.tooManyFrames(limit: 300)) { try checkLimits(long, limits) }
        var components = ImageInfo(format: .jp2, width: 5, height: 5, frames: 1, orientation: 1)
        components.bands = 16_384
        #expect(throws: ImageError.tooManyPixels(limit: 100)) { try checkLimits(components, limits) }
        components.bands = 4
        #expect(throws: Never.self) { try checkLimits(components, limits) }
        let many = ImageInfo(format: .gif, width: 1, height: 1, frames: 6, orientation: 1)
        #expect(throws: ImageError.tooManyFrames(limit: 5)) { try checkLimits(many, limits) }
    }
}
