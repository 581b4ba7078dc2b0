import ResponderCore
import ImageKit

/// `POST /images/info`: size, type and frame count from the header; a placeholder and
/// perceptual hashes from a small decode.
struct InfoEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        let upload = try UploadedImage(request)
        let processor = context.processor
        let (info, placeholder, hashes) = try imageWork { () throws(ImageError) in try processor.describe(upload.bytes) }
        var json = JSONWriter()
        json.beginObject()
        json.envelope(ok: true)
        json.field("width", info.width)
        json.field("height", info.height)
        json.field("mime_type", info.format.mimeType)
        json.field("binary_size", upload.size)
        json.field("frames", info.frames)
        json.field("orientation", info.orientation)
        json.field("display_width", info.displayWidth)
        json.field("display_height", info.displayHeight)
        writePlaceholder(&json, placeholder)
        json.key("phash")
        if let hashes { json.string(hashes.phash) } else { json.null() }
        json.key("dhash")
        if let hashes { json.string(hashes.dhash) } else { json.null() }
        json.endObject()
        return .json(json).describing(info)
    }
}
