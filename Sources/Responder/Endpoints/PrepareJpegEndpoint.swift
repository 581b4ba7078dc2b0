import ImageKit

/// `POST /images/prepare_jpeg`: GPS removal and lossless orientation for JPEGs.
/// The lossless transform is not in this version: JPEGs get a 501 so clients
/// can tell it from a failure; anything else gets the contract's `not_jpeg`.
struct PrepareJpegEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        guard request.method == "POST" else {
            return .usage("POST a JPEG (multipart field 'file') to get it back without GPS data and with its orientation applied.")
        }
        let upload = try UploadedImage(request)
        let processor = try context.processor()
        let format = try? processor.detectFormat(upload.bytes)
        guard format == .jpeg else { throw .notJPEG }
        throw .notImplemented
    }
}
