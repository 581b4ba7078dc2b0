import LinkPreview
import ResponderCore
import WorkerConfig

#if canImport(Glibc)
import Glibc
#endif

/// Hands a fetched image to the image pool over FastCGI, as nginx would send an
/// upload: `POST /images/fit/{box}?simple=1`, the bytes as the multipart field
/// `file`. Fetchers never decode; the image pool's responders, which have no
/// network, do. Their answer is read as untrusted: records checked, size capped.
struct ImagePoolClient {
    struct Fitted {
        let bytes: [UInt8]
        let mimeType: String
        let facts: FittedImageFacts
    }

    enum Failure: Error, Equatable {
        /// The image pool could not be reached or broke off.
        case unreachable(String)
        /// The image pool refused the image (its status and the body's first bytes).
        case refused(status: Int, detail: String)
        case malformed(String)
    }

    let address: ListenAddress
    let secret: String
    /// The largest answer read: the output limit plus room for headers.
    let maxAnswerBytes: Int

    /// Fits `image` in `box` by the image pool, on `loop`: connecting, sending and reading
    /// without blocking the loop, given up at `deadline`.
    func fit(_ image: [UInt8], box: Int, deadline: Double, requestID: String, on loop: FetchLoop) async throws(Failure)
        -> Fitted {
        // Sent raw, as the API allows: the image pool sniffs its type, no form to wrap or scan.
        var parameters = [
            ("REQUEST_METHOD", "POST"), ("DOCUMENT_URI", "/images/fit/\(box)"), ("REQUEST_URI", "/images/fit/\(box)?simple=1"),
            ("QUERY_STRING", "simple=1"), ("CONTENT_TYPE", "application/octet-stream"),
            ("CONTENT_LENGTH", String(image.count)), ("REQUEST_ID", requestID), ("GATEWAY_INTERFACE", "CGI/1.1"),
        ]
        if !secret.isEmpty { parameters.append(("HTTP_X_REMOTE_WORKER_SECRET", secret)) }
        let exchange = ImagePoolExchange(address: address, maxAnswerBytes: maxAnswerBytes, loop: loop,
                                         records: FastCGIRecords.request(parameters: parameters, body: image, requestID: 1))
        return try Self.read(try await exchange.run(deadline: deadline))
    }

    /// The CGI answer: `Status:` and the headers, a blank line, the image.
    static func read(_ answer: [UInt8]) throws(Failure) -> Fitted {
        guard let split = answer.indices.dropLast(3).first(where: {
            answer[$0] == 13 && answer[$0 + 1] == 10 && answer[$0 + 2] == 13 && answer[$0 + 3] == 10
        }), split <= 8192 else { throw .malformed("no header block") }
        var headers: [String: String] = [:]
        for line in String(decoding: answer[..<split], as: UTF8.self).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("a header line without a colon") }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " })
        }
        let body = Array(answer[(split + 4)...])
        let status = headers["status"].flatMap { Int($0.prefix(3)) } ?? 200
        guard status == 200 else {
            throw .refused(status: status, detail: String(decoding: body.prefix(300), as: UTF8.self))
        }
        guard let type = headers["content-type"], type.hasPrefix("image/"), type.count <= 100,
              let facts = FittedImageFacts(headers: headers), !body.isEmpty
        else { throw .malformed("an answer without the image's facts") }
        return Fitted(bytes: body, mimeType: type, facts: facts)
    }
}
