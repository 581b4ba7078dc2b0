import Foundation
import Testing
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

    @Test func clientRequest_isBeginParamsStdin_withTheirEnds() throws {
        let body = [UInt8](repeating: 7, count: 70_000)
        let long = String(repeating: "v", count: 200)
        let records = try parse(FastCGIRecords.request(parameters: [("A", "1"), ("LONG", long)], body: body, requestID: 1))
        #expect(records.map(\.0) == [1, 4, 4, 5, 5, 5])
        #expect(records[0].2 == [0, 1, 0, 0, 0, 0, 0, 0], "responder role, connection not kept")
        // Short lengths take a byte, long ones four with the top bit set.
        #expect(Array(records[1].2.prefix(5)) == [1, 1, UInt8(ascii: "A"), UInt8(ascii: "1"), 4])
        #expect(Array(records[1].2[5..<9]) == [0x80, 0, 0, 200])
        #expect(records[3].2.count + records[4].2.count == body.count && records[5].2.isEmpty)
    }

    @Test func responseReader_keepsStdout_skipsStderr_endsAtTheEnd_inAnyChunking() throws {
        let answer = FastCGIRecords.response(Response(status: 200, contentType: "image/png", body: [1, 2, 3]), requestID: 1)
        let noise = FastCGIRecords.record(type: 7, requestID: 1, content: Array("warning".utf8)[...])
        let bytes = noise + answer
        for chunk in [1, 3, 8, 1000] {
            var reader = FastCGIRecords.ResponseReader(maxBytes: 1000)
            var at = 0
            while at < bytes.count {
                try reader.take(bytes[at..<min(at + chunk, bytes.count)])
                at += chunk
            }
            #expect(reader.ended)
            #expect(String(decoding: reader.stdout, as: UTF8.self).hasPrefix("Status: 200 OK\r\nContent-Type: image/png"))
            #expect(Array(reader.stdout.suffix(3)) == [1, 2, 3])
        }
    }

    @Test func responseReader_refusesOversizedAndForeignRecords() {
        let big = FastCGIRecords.response(Response(body: [UInt8](repeating: 0, count: 5000)), requestID: 1)
        var small = FastCGIRecords.ResponseReader(maxBytes: 1000)
        #expect(throws: FastCGIRecords.ResponseReader.Malformed.self) { try small.take(big[...]) }
        var reader = FastCGIRecords.ResponseReader(maxBytes: 1000)
        #expect(throws: FastCGIRecords.ResponseReader.Malformed.self) { try reader.take([2, 6, 0, 1, 0, 0, 0, 0][...]) }
        var typed = FastCGIRecords.ResponseReader(maxBytes: 1000)
        #expect(throws: FastCGIRecords.ResponseReader.Malformed.self) { try typed.take([1, 9, 0, 1, 0, 0, 0, 0][...]) }
    }
}
