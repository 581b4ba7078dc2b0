import Foundation
import Testing
@testable import ImageKit

@Suite struct TIFFDirectoryTests {
    @Test func loopingDirectories_end_andUnreachableGPS_isUnsafe() {
        // II*, IFD0 at 8 with one entry: GPS pointer to offset 8 (IFD0 itself); next IFD -> 8.
        var tiff: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0]
        tiff += [0x25, 0x88, 4, 0, 1, 0, 0, 0, 8, 0, 0, 0]
        tiff += [8, 0, 0, 0]
        let directory = TIFFDirectory(tiff, base: 0, end: tiff.count)
        #expect(directory != nil)
        #expect(directory?.isSafeToEdit == false)
    }
}
