import Testing
@testable import Upload

@Suite struct UploadExtractorTests {
    func multipart(_ parts: [(name: String, filename: String?, body: [UInt8])], boundary: String = "XyZ") -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"" }
            head += "\r\nContent-Type: application/octet-stream\r\n\r\n"
            out += Array(head.utf8) + part.body + Array("\r\n".utf8)
        }
        return out + Array("--\(boundary)--\r\n".utf8)
    }

    @Test func filePart_isTakenWithItsBytesExactly() throws {
        let image: [UInt8] = [0xFF, 0xD8, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF, 0xD9]
        let body = multipart([("note", nil, Array("hi".utf8)), ("file", "a.jpg", image)])
        let file = try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ")
        #expect(Array(file.bytes) == image)
        #expect(file.filename == "a.jpg")
    }

    @Test func nonASCIIHeaderName_isMalformed_notACrash() {
        let body = Array("--XyZ\r\nX-\u{E9}: 1\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc\r\n--XyZ--\r\n".utf8)
        #expect(throws: UploadError.self) {
            try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ")
        }
    }

    @Test func nonASCIIFilename_isStillAccepted() throws {
        let body = multipart([("file", "caf\u{E9}.jpg", [1, 2, 3])])
        let file = try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ")
        #expect(Array(file.bytes) == [1, 2, 3])
        #expect(file.filename == "caf\u{E9}.jpg")
    }

    @Test func quotedBoundary_isUnderstood() throws {
        let body = multipart([("file", nil, [1, 2, 3])], boundary: "a b:c")
        let file = try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=\"a b:c\"")
        #expect(Array(file.bytes) == [1, 2, 3])
    }

    @Test func missingFilePart_isNoFile() {
        let body = multipart([("picture", "a.jpg", [1, 2, 3])])
        #expect(throws: UploadError.noFile) {
            try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ")
        }
    }

    @Test func emptyFilePart_isNoFile() {
        let body = multipart([("file", "a.jpg", [])])
        #expect(throws: UploadError.noFile) {
            try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ")
        }
    }

    @Test func multipartWithoutBoundary_isMalformed() {
        #expect(throws: UploadError.self) {
            try UploadExtractor.extract(body: [1, 2], contentType: "multipart/form-data")
        }
    }

    @Test func unterminatedPart_isMalformed() {
        let body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc".utf8)
        #expect(throws: UploadError.malformed("part not closed by a boundary")) {
            try UploadExtractor.extract(body: body, contentType: "multipart/form-data; boundary=XyZ")
        }
    }

    @Test func rawBody_isTheFile() throws {
        let file = try UploadExtractor.extract(body: [9, 8, 7], contentType: "image/png")
        #expect(Array(file.bytes) == [9, 8, 7])
        #expect(file.declaredType == "image/png")
    }

    @Test func emptyRawBody_isNoFile() {
        #expect(throws: UploadError.noFile) { try UploadExtractor.extract(body: [], contentType: nil) }
    }
}
