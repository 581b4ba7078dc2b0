import ImageKit
import Upload

/// The image of a processing request, taken from the body once, with the
/// `uploaded` facts every processing response reports.
struct UploadedImage {
    let bytes: ImageBytes
    let size: Int

    init(_ request: Request) throws(ServiceError) {
        let file: UploadedFile
        do {
            file = try UploadExtractor.extract(body: request.body, contentType: request.contentType)
        } catch {
            throw ServiceError(error)
        }
        bytes = ImageBytes(copying: file.bytes)
        size = file.bytes.count
    }

    /// `"uploaded": {"size": ..., "mime": ...}`
    func writeUploaded(_ json: inout JSONWriter, mime: String) {
        json.key("uploaded")
        json.beginObject()
        json.field("size", size)
        json.field("mime", mime)
        json.endObject()
    }
}

/// Runs image work, mapping its errors to service errors.
func imageWork<T>(_ work: () throws(ImageError) -> T) throws(ServiceError) -> T {
    do {
        return try work()
    } catch {
        throw ServiceError(error)
    }
}

/// The `start`, `end` and `cost` fields: Unix seconds and whole milliseconds.
func writeTiming(_ json: inout JSONWriter, start: Double, end: Double) {
    json.field("start", start)
    json.field("end", end)
    json.field("cost", Int(((end - start) * 1000).rounded()))
}
