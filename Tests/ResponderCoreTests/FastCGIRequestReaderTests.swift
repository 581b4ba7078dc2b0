import Testing
@testable import ResponderCore

@Suite struct FastCGIRequestReaderTests {
    static func record(_ type: UInt8, _ content: [UInt8], id: UInt16 = 1) -> [UInt8] {
        FastCGIRecords.record(type: type, requestID: id, content: content[...])
    }

    static func pairs(_ values: [(String, String)]) -> [UInt8] {
        values.flatMap { name, value -> [UInt8] in
            func length(_ n: Int) -> [UInt8] { n < 128 ? [UInt8(n)] : [UInt8(n >> 24 | 0x80), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)] }
            return length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
    }

    static func request(id: UInt16 = 1, keep: Bool = true, parameters: [(String, String)], body: [UInt8] = []) -> [UInt8] {
        var bytes = record(1, [0, 1, keep ? 1 : 0, 0, 0, 0, 0, 0], id: id)
        bytes += record(4, pairs(parameters), id: id) + record(4, [], id: id)
        if !body.isEmpty { bytes += record(5, body, id: id) }
        return bytes + record(5, [], id: id)
    }

    @Test func aRequest_comesWhole_inAnyChunking() throws {
        let long = String(repeating: "v", count: 300)
        let bytes = Self.request(parameters: [("REQUEST_METHOD", "POST"), ("HTTP_LONG", long)], body: Array("hello".utf8))
        for chunk in [1, 3, 8, 64, bytes.count] {
            var reader = FastCGIRequestReader(maxBodyBytes: 100)
            var events: [FastCGIRequestReader.Event] = []
            var at = 0
            while at < bytes.count {
                events += try reader.take(bytes[at..<min(at + chunk, bytes.count)])
                at += chunk
            }
            #expect(events == [.request(id: 1, keepConnection: true, parameters: ["REQUEST_METHOD": "POST", "HTTP_LONG": long],
                                        body: Array("hello".utf8), bodyTooLarge: false)], "chunks of \(chunk)")
            #expect(!reader.isReadingRequest)
        }
    }

    @Test func aBodyOverTheLimit_isReadToItsEnd_butNotKept() throws {
        var reader = FastCGIRequestReader(maxBodyBytes: 4)
        let events = try reader.take(Self.request(keep: false, parameters: [], body: Array("too long".utf8)))
        #expect(events == [.request(id: 1, keepConnection: false, parameters: [:], body: [], bodyTooLarge: true)])
    }

    @Test func keptConnections_carryOneRequestAfterAnother_andAbortsOfEither() throws {
        var reader = FastCGIRequestReader(maxBodyBytes: 10)
        let first = Self.request(id: 1, parameters: [("A", "1")])
        let abortOfTheWhole = Self.record(2, [], id: 1)
        let second = Self.request(id: 2, parameters: [("A", "2")])
        let events = try reader.take(first + abortOfTheWhole + second)
        #expect(events.count == 3 && events[1] == .abort(id: 1))
        // An abort while the request is still arriving ends it there.
        var arriving = FastCGIRequestReader(maxBodyBytes: 10)
        let begun = Self.record(1, [0, 1, 1, 0, 0, 0, 0, 0], id: 3) + Self.record(4, Self.pairs([("A", "3")]), id: 3)
        #expect(try arriving.take(begun).isEmpty && arriving.isReadingRequest)
        #expect(try arriving.take(Self.record(2, [], id: 3)) == [.abort(id: 3)] && !arriving.isReadingRequest)
    }

    @Test func otherRoles_secondRequests_andManagementRecords_getTheirOwnEvents() throws {
        var reader = FastCGIRequestReader(maxBodyBytes: 10)
        #expect(try reader.take(Self.record(1, [0, 2, 0, 0, 0, 0, 0, 0], id: 5)) == [.unknownRole(id: 5)])
        _ = try reader.take(Self.record(1, [0, 1, 1, 0, 0, 0, 0, 0], id: 6))
        #expect(try reader.take(Self.record(1, [0, 1, 1, 0, 0, 0, 0, 0], id: 7)) == [.multiplexed(id: 7)])
        #expect(try reader.take(Self.record(9, Self.pairs([("FCGI_MAX_CONNS", "")]), id: 0)) == [.getValues(["FCGI_MAX_CONNS"])])
        #expect(try reader.take(Self.record(42, [], id: 0)) == [.unknownType(42)])
        // Records of a request that is not open are ignored, as the protocol says.
        #expect(try reader.take(Self.record(5, [1, 2], id: 9)).isEmpty)
    }

    @Test(arguments: [
        [2, 1, 0, 1, 0, 0, 0, 0] as [UInt8], // version 2
        FastCGIRecords.record(type: 1, requestID: 1, content: [0, 1][...]), // a short begin record
        FastCGIRecords.record(type: 1, requestID: 1, content: [0, 1, 0, 0, 0, 0, 0, 0][...])
            + FastCGIRecords.record(type: 4, requestID: 1, content: [5, 1, 65][...]) + FastCGIRecords.record(type: 4, requestID: 1, content: [][...]),
        FastCGIRecords.record(type: 1, requestID: 1, content: [0, 1, 0, 0, 0, 0, 0, 0][...])
            + FastCGIRecords.record(type: 4, requestID: 1, content: [0x80][...]) + FastCGIRecords.record(type: 4, requestID: 1, content: [][...]),
        FastCGIRecords.record(type: 11, requestID: 1, content: [][...]), // a type a server never receives
    ])
    func malformedBytes_areRefused(_ bytes: [UInt8]) {
        var reader = FastCGIRequestReader(maxBodyBytes: 10)
        #expect(throws: FastCGIRequestReader.Malformed.self) { _ = try reader.take(bytes) }
    }

    @Test func parameters_overTheLimit_areRefused() {
        var reader = FastCGIRequestReader(maxParameterBytes: 100, maxBodyBytes: 10)
        let bytes = Self.record(1, [0, 1, 0, 0, 0, 0, 0, 0]) + Self.record(4, Self.pairs([("A", String(repeating: "x", count: 200))]))
        #expect(throws: FastCGIRequestReader.Malformed.self) { _ = try reader.take(bytes) }
    }

    @Test func theRequest_isBuiltFromTheParameters() {
        let request = Request(parameters: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/links/preview", "QUERY_STRING": "url=a%20b&sig=x",
                                           "HTTP_VIA": "1.1 remote-worker", "HTTP_X_PREVIEW_REFRESH": "1", "REQUEST_ID": "r1"], body: [])
        #expect(request.path == "/links/preview" && request.query == ["url": "a b", "sig": "x"])
        #expect(request.via == "1.1 remote-worker" && request.refresh && request.requestID == "r1")
    }
}
