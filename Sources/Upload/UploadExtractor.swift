import MultipartKit

/// Takes the image out of a request body: the `file` part of a
/// `multipart/form-data` body, or the whole body when it is sent raw
/// (`image/*` or `application/octet-stream`).
public enum UploadExtractor {
    /// The form field that carries the image.
    public static let fieldName = "file"

    /// - Parameters:
    ///   - body: the complete request body.
    ///   - contentType: the request's `Content-Type` header, if any.
    /// - Throws: `UploadError.noFile` when there is no image to take,
    ///   `UploadError.malformed` when the multipart syntax is broken.
    public static func extract(body: [UInt8], contentType: String?) throws(UploadError) -> UploadedFile {
        let header = ContentTypeHeader(contentType ?? "")
        switch header.mediaType {
        case "multipart/form-data", "multipart/mixed":
            guard let boundary = header.boundary else {
                throw .malformed("multipart body without a valid boundary")
            }
            return try fileFromMultipart(body, boundary: boundary)
        default:
            guard !body.isEmpty else { throw .noFile }
            // Anything that is not form data is taken as the image itself; its type is sniffed later.
            return UploadedFile(bytes: body, declaredType: header.mediaType.isEmpty ? nil : header.mediaType)
        }
    }

    private static func fileFromMultipart(_ body: [UInt8], boundary: String) throws(UploadError) -> UploadedFile {
        guard MultipartHeaderGuard.headerNamesAreASCII(body, boundary: boundary) else {
            throw .malformed("non-ASCII byte in a part header name")
        }
        let collector = FilePartCollector(fieldName: fieldName)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name: name, value: value) }
        parser.onBody = { chunk in collector.body(chunk.readableBytesView) }
        parser.onPartComplete = { collector.partComplete() }
        do {
            try parser.execute(body)
        } catch {
            throw .malformed("multipart syntax error")
        }
        guard let file = collector.file, !file.bytes.isEmpty else { throw .noFile }
        return file
    }
}

/// Follows the parser's callbacks and keeps the first complete `file` part.
private final class FilePartCollector {
    let fieldName: String
    var file: UploadedFile?
    private var current = UploadedFile(bytes: [])
    private var currentName: String?

    init(fieldName: String) { self.fieldName = fieldName }

    private var isWanted: Bool { file == nil && currentName == fieldName }

    func header(name: String, value: String) {
        switch name.lowercased() {
        case "content-disposition":
            let disposition = ContentTypeHeader(value)
            currentName = disposition.parameters["name"]
            current.filename = disposition.parameters["filename"]
        case "content-type":
            current.declaredType = value
        default:
            break
        }
    }

    func body<Bytes: Collection>(_ chunk: Bytes) where Bytes.Element == UInt8 {
        if isWanted { current.bytes.append(contentsOf: chunk) }
    }

    func partComplete() {
        if isWanted { file = current }
        current = UploadedFile(bytes: [])
        currentName = nil
    }
}
