import Foundation
import Testing
@testable import Responder
@testable import ResponderCore

@Suite struct FastCGIRecordsTests {
    /// Reads records back as the protocol defines them: (type, request id, content).
    func parse(_ bytes: [UInt8]) throws -> [(UInt8, UInt16, [UInt8])] {
        var records: [(UInt8, UInt16, [UInt8])] = []
        var offset = 0
        while offset < bytes.count {
            try #require(offset + 8 <= bytes.count)
            #expect(bytes[offset] == 1, "version")
            let id = UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
            let length = Int(bytes[offset + 4]) << 8 | Int(bytes[offset + 5])
            let padding = Int(bytes[offset + 6])
            try #require(offset + 8 + length + padding <= bytes.count)
            #expect((length + padding) % 8 == 0)
            records.append((bytes[offset + 1], id, Array(bytes[offset + 8..<offset + 8 + length])))
            offset += 8 + length + padding
        }
        return records
    }

    @Test func crashAnswer_isStdoutThenItsEnd_thenEndRequest() throws {
        let records = try parse(FastCGIRecords.response(.error(.internalError(detail: "x")), requestID: 0x0102))
        #expect(records.map(\.0) == [6, 6, 3])
        #expect(records.allSatisfy { $0.1 == 0x0102 })
        let text = String(decoding: records[0].2, as: UTF8.self)
        #expect(text.hasPrefix("Status: 500 "))
        let body = try #require(text.components(separatedBy: "\r\n\r\n").last)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["code"] as? String == "internal")
        #expect(records[1].2.isEmpty, "the empty record ends stdout")
        #expect(records[2].2 == [0, 0, 0, 0, 0, 0, 0, 0], "app status 0, FCGI_REQUEST_COMPLETE")
    }

    @Test func longContent_isSplitAcrossRecords() throws {
        let response = Response(body: [UInt8](repeating: 0x41, count: 150_000))
        let records = try parse(FastCGIRecords.response(response, requestID: 1))
        #expect(records.map(\.0) == [6, 6, 6, 6, 3])
        #expect(records.dropLast(2).map(\.2.count).reduce(0, +) == response.headerBlock.count + 150_000)
        #expect(records.dropLast(2).allSatisfy { $0.2.count <= 65_535 })
    }
}
