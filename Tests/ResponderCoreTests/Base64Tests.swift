import Foundation
import Testing
@testable import ResponderCore

@Suite struct Base64Tests {
    @Test func encoding_matchesFoundation() {
        for length in 0..<40 {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            var out: [UInt8] = []
            Base64.append(data, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Data(data).base64EncodedString())
            #expect(out.count == Base64.encodedLength(length))
        }
    }
}
