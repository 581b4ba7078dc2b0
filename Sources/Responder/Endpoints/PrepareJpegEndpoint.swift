import ResponderCore
import ImageKit
import JPEGMetadata

/// `POST /images/prepare_jpeg`: the JPEG without location data, its
/// orientation applied losslessly, everything else as it was.
/// `?strip=all` also removes every other metadata segment but the colour profile.
struct PrepareJpegEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        let upload = try UploadedImage(request)
        let processor = context.processor
        // prepare_jpeg edits an array of its own: the one copy of the file this endpoint makes.
        let jpeg = Array(upload.file)
        guard processor.isJPEG(jpeg) else { throw .notJPEG }
        let policy: MetadataPolicy = request.query["strip"] == "all" ? .keepColourProfileOnly : .removeLocation
        let start = context.clock()
        let prepared = try imageWork { () throws(ImageError) in try processor.prepareJPEG(jpeg, policy: policy) }
        let end = context.clock()
        if prepared.detectorDrops > 0 { context.scoreboard?.countLocationDetectorDrops(prepared.detectorDrops) }
        if request.flag("simple") {
            return Response(contentType: "image/jpeg", body: prepared.bytes)
        }
        var json = JSONWriter(capacity: Base64.encodedLength(prepared.bytes.count) + 512)
        json.beginObject()
        upload.writeUploaded(&json, mime: ImageFormat.jpeg.mimeType)
        json.envelope(ok: true)
        json.key("output")
        json.base64(prepared.bytes)
        writeTiming(&json, start: start, end: end)
        json.field("gps_removed", prepared.gpsRemoved)
        json.field("orientation_applied", prepared.orientationApplied)
        json.key("trimmed")
        json.beginObject()
        json.field("width", prepared.trimmedWidth)
        json.field("height", prepared.trimmedHeight)
        json.endObject()
        json.field("exif_dropped", prepared.exifDropped)
        json.field("location_detector_drops", prepared.detectorDrops)
        json.field("width", prepared.width)
        json.field("height", prepared.height)
        json.field("segments_stripped", prepared.segmentsStripped)
        json.endObject()
        return .json(json)
    }
}
