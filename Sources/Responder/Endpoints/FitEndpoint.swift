import ResponderCore
import ImageKit

/// `POST /images/fit/{box}`: the image fitted inside box×box, never enlarged.
struct FitEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        let maxBox = context.configuration.maxBox
        let box = try Self.parseBox(request.routeParameter, maxBox: maxBox)
        let choice = try OutputFormatChoice(request, allowed: [.jpeg, .png, .webp, .avif])
        let upload = try UploadedImage(request)
        let processor = context.processor
        let start = context.clock()
        let (info, output) = try imageWork { () throws(ImageError) in
            try processor.fit(upload.bytes, box: box, animated: request.flag("animated"), format: choice.format,
                              placeholder: !request.flag("simple"))
        }
        let end = context.clock()
        if request.flag("simple") {
            // The facts the JSON answer has, as headers (link previews read them).
            let facts = FittedImageFacts(width: output.width, height: output.height, sourceType: info.format.mimeType).headers
                + choice.headers()
            return Response(contentType: output.format.mimeType, headers: facts, body: output.bytes).describing(info)
        }
        var json = JSONWriter(capacity: Base64.encodedLength(output.bytes.count) + 256)
        json.beginObject()
        upload.writeUploaded(&json, mime: info.format.mimeType)
        json.envelope(ok: true)
        writeTiming(&json, start: start, end: end)
        json.key("output")
        json.base64(output.bytes)
        json.field("output_mime", output.format.mimeType)
        json.field("width", output.width)
        json.field("height", output.height)
        writePlaceholder(&json, output.placeholder)
        json.endObject()
        var response = Response.json(json)
        response.headers += choice.headers()
        return response.describing(info)
    }

    /// A whole number from 1 to `maxBox`, written plainly (no sign, no leading zeros' tricks beyond digits).
    static func parseBox(_ text: String, maxBox: Int) throws(ServiceError) -> Int {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard !trimmed.isEmpty, trimmed.count <= 6, trimmed.allSatisfy(\.isASCIIDigit),
              let box = Int(trimmed), (1...maxBox).contains(box)
        else {
            throw .badParameter("box must be a whole number from 1 to \(maxBox)")
        }
        return box
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
