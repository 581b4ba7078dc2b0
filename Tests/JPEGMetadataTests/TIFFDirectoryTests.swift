import Testing
@testable import JPEGMetadata

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

    @Test func directoryClaimingMoreEntriesThanFit_isReadAsFarAsItGoes() throws {
        // IFD0 claims 1000 entries; one whole entry (Orientation = 6) fits.
        let tiff: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0, 0xE8, 0x03, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]
        let directory = try #require(TIFFDirectory(tiff, base: 0, end: tiff.count))
        #expect(directory.ifd0.entries.count == 1)
        #expect(directory.ifd0.entry(TIFFDirectory.Tag.orientation).flatMap { directory.value(of: $0, in: tiff) } == 6)
    }

    @Test func notTIFF_isNil() {
        #expect(TIFFDirectory(Array("not a tiff header".utf8), base: 0, end: 17) == nil)
        #expect(TIFFDirectory([0x49, 0x49, 42, 0], base: 0, end: 4) == nil)
    }

    @Test func directoryWithThousandsOfLinks_isUnsafe_andReadOnce() throws {
        // IFD0 with 2,000 SubIFD entries of 64 links each, all to one zeroed array.
        let entries = (0..<2000).map { _ in TIFFDirectoryBuilder.Entry(tag: 0x014A, type: 4, count: 64, data: Array(repeating: 0, count: 256)) }
        let tiff = TIFFDirectoryBuilder(entries).build()
        let directory = try #require(TIFFDirectory(tiff, base: 0, end: tiff.count))
        #expect(!directory.isSafeToEdit)
    }
}
