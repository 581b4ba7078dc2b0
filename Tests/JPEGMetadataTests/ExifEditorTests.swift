import Testing
@testable import JPEGMetadata

@Suite struct ExifEditorTests {
    typealias Builder = TIFFDirectoryBuilder

    func ifd0(_ extra: [Builder.Entry] = []) -> Builder {
        Builder([Builder.ascii(0x010F, "Camera maker"), Builder.short(0x0112, 1)] + extra)
    }

    @Test func gpsRemoval_unlinksTheDirectory_andKeepsOtherTags() throws {
        let root = ifd0()
        root.links = [(0x8825, [Builder.gps()])]
        var tiff = root.build()
        let before = try #require(TIFFDirectory(tiff, base: 0, end: tiff.count))
        #expect(before.gpsLinks.count == 1 && before.isSafeToEdit)
        #expect(ExifEditor.removeLocation(&tiff, base: 0, end: tiff.count) == .locationRemoved)
        let after = try #require(TIFFDirectory(tiff, base: 0, end: tiff.count))
        #expect(after.gpsLinks.isEmpty && after.ifd0.entries.map(\.tag) == [0x010F, 0x0112])
        #expect(!tiff.contains(Builder.latitudeBytes))
    }

    @Test("GPS directories are found wherever a reader follows links",
          arguments: ["IFD1", "IFD2", "SubIFD", "ExifIFD", "InteropIFD", "two at once"])
    func gpsEverywhere_isRemoved(_ place: String) throws {
        let root = ifd0()
        let exif = Builder([Builder.ascii(0x9003, "2024:01:01 10:00:00")])
        root.links = [(0x8769, [exif])]
        switch place {
        case "IFD1": root.next = Builder(); root.next!.links = [(0x8825, [Builder.gps()])]
        case "IFD2":
            root.next = Builder([Builder.short(0x0103, 6)])
            root.next!.next = Builder(); root.next!.next!.links = [(0x8825, [Builder.gps()])]
        case "SubIFD":
            let sub = Builder([Builder.short(0x00FE, 1)])
            sub.links = [(0x8825, [Builder.gps()])]
            root.links.append((0x014A, [Builder(), sub]))
        case "ExifIFD": exif.links = [(0x8825, [Builder.gps()])]
        case "InteropIFD":
            let interop = Builder([Builder.ascii(1, "R98")])
            interop.links = [(0x8825, [Builder.gps()])]
            exif.links = [(0xA005, [interop])]
        default:
            root.links.append((0x8825, [Builder.gps()]))
            exif.links = [(0x8825, [Builder.gps()])]
        }
        var tiff = root.build()
        #expect(ExifEditor.removeLocation(&tiff, base: 0, end: tiff.count) == .locationRemoved)
        let after = try #require(TIFFDirectory(tiff, base: 0, end: tiff.count))
        #expect(after.gpsLinks.isEmpty, "\(place)")
        #expect(!tiff.contains(Builder.latitudeBytes), "\(place): the position's bytes remain")
        #expect(after.exif?.entries.first?.tag == 0x9003, "\(place): the Exif directory was harmed")
    }

    @Test func gpsLinkToAnUnreadablePlace_isUnsafe() {
        let root = ifd0([Builder.Entry(tag: 0x8825, type: 4, count: 1, data: Builder.le(60_000, 4))])
        var tiff = root.build()
        #expect(ExifEditor.removeLocation(&tiff, base: 0, end: tiff.count) == .unsafe)
    }
}
