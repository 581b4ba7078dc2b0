import ResponderCore
import ImageKit

/// `POST /images/rescale_avatar` (and `/images/resize_avatar`): square PNG (or WebP) avatars.
struct AvatarEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        let choice = try OutputFormatChoice(request, allowed: [.png, .webp])
        let upload = try UploadedImage(request)
        let processor = context.processor
        let start = context.clock()
        let (info, avatars, placeholder) = try imageWork { () throws(ImageError) in
            try processor.avatars(upload.bytes, animated: request.flag("animated"), format: choice.format ?? .png)
        }
        let end = context.clock()
        let encodedSize = avatars.reduce(0) { $0 + Base64.encodedLength($1.png.count) + 48 }
        var json = JSONWriter(capacity: encodedSize + 256)
        json.beginObject()
        upload.writeUploaded(&json, mime: info.format.mimeType)
        json.envelope(ok: true)
        writeTiming(&json, start: start, end: end)
        for avatar in avatars {
            json.key("avatar\(avatar.size)")
            json.beginObject()
            json.field("size", avatar.png.count)
            json.key("body")
            json.base64(avatar.png)
            json.endObject()
        }
        writePlaceholder(&json, placeholder)
        json.field("output_mime", avatars.first?.format.mimeType ?? "image/png")
        json.endObject()
        var response = Response.json(json)
        response.headers += choice.headers()
        return response.describing(info)
    }
}
