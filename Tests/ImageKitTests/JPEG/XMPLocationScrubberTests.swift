import Foundation
import Testing
@testable import ImageKit

@Suite struct XMPLocationScrubberTests {
    func scrub(_ xml: String) -> (String, Bool) {
        var bytes = Array(xml.utf8)
        let changed = XMPLocationScrubber.scrub(&bytes, in: 0..<bytes.count)
        #expect(bytes.count == xml.utf8.count, "length must not change")
        return (String(decoding: bytes, as: UTF8.self), changed)
    }

    @Test func attributes_areBlanked_othersKept() {
        let (out, changed) = scrub(#"<rdf:Description exif:GPSLatitude="48,51.5N" exif:GPSLongitude='2,17E' tiff:Make="Cam"/>"#)
        #expect(changed)
        #expect(!out.contains("GPS") && !out.contains("48,51"))
        #expect(out.contains(#"tiff:Make="Cam""#) && out.hasPrefix("<rdf:Description ") && out.hasSuffix("/>"))
    }

    @Test func elements_includingNested_areBlanked() {
        let xml = "<x><exif:GPSLatitude>43,28N</exif:GPSLatitude><exif:GPSCoordinates><rdf:Seq><rdf:li>1</rdf:li></rdf:Seq></exif:GPSCoordinates><dc:title>Keep</dc:title><exif:GPSVersionID/></x>"
        let (out, changed) = scrub(xml)
        #expect(changed)
        #expect(!out.contains("GPS") && !out.contains("43,28") && !out.contains("rdf:li"))
        #expect(out.contains("<dc:title>Keep</dc:title>") && out.hasPrefix("<x>") && out.hasSuffix("</x>"))
    }

    @Test func unterminatedProperty_isLeftAlone_andNothingCrashes() {
        #expect(scrub(#"<a exif:GPSLatitude="48"#).1 == false)
        #expect(scrub("<exif:GPSLatitude>no end").1 == false)
        #expect(scrub(":GPS").1 == false)
    }

    @Test func noGPS_changesNothing() {
        let xml = #"<rdf:Description xmp:CreatorTool="GPSMapper" dc:format="image/jpeg"/>"#
        #expect(scrub(xml) == (xml, false))
    }
}
