import ResponderCore
import ImageKit
import Upload

/// The image of a processing request, taken from the body once, with the
/// `uploaded` facts every processing response reports.
struct UploadedImage {
    /// The file as the body held it (a slice of the body).
    let file: ArraySlice<UInt8>
    var size: Int { file.count }

    /// The file at a fixed address, for libvips (one copy, made when asked for).
    var bytes: ImageBytes { ImageBytes(copying: file) }

    init(_ request: Request) throws(ServiceError) {
        do {
            file = try UploadExtractor.extract(body: request.body, contentType: request.contentType).bytes
        } catch {
            throw ServiceError(error)
        }
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

/// The placeholder fields every image answer carries.
func writePlaceholder(_ json: inout JSONWriter, _ placeholder: Placeholder?) {
    json.key("blurhash")
    if let placeholder { json.string(placeholder.blurhash) } else { json.null() }
    json.key("dominant_color")
    if let placeholder { json.string(placeholder.dominantColor) } else { json.null() }
}
