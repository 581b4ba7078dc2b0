import HTTPContentType
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
            return UploadedFile(bytes: body[...], declaredType: header.mediaType.isEmpty ? nil : header.mediaType)
        }
    }

    /// The first part named `file`, as a slice of the body.
    private static func fileFromMultipart(_ body: [UInt8], boundary: String) throws(UploadError) -> UploadedFile {
        let parts = try MultipartReader(body: body, boundary: boundary).parts()
        for part in parts {
            guard let disposition = part.header("content-disposition").map(ContentTypeHeader.init),
                  disposition.parameters["name"] == fieldName else { continue }
            guard !part.body.isEmpty else { throw .noFile }
            return UploadedFile(bytes: body[part.body], filename: disposition.parameters["filename"],
                                declaredType: part.header("content-type"))
        }
        throw .noFile
    }
}
