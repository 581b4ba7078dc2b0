/// `POST /images/prepare_jpeg`: GPS removal and lossless orientation. Not
/// available in this version: answers 501 so clients can tell it from a failure.
struct PrepareJpegEndpoint: Endpoint {
    func respond(to request: Request, in context: EndpointContext) throws(ServiceError) -> Response {
        guard request.method == "POST" else {
            return .usage("POST a JPEG (multipart field 'file') to get it back without GPS data and with its orientation applied.")
        }
        throw .notImplemented
    }
}
