/// Step: for icon containers, choose the largest image inside; for every
/// other format, the upload itself.
func unwrapContainer(_ bytes: ImageBytes, format: ImageFormat) throws(ImageError) -> LoadPlan {
    switch format {
    case .ico:
        guard let entry = IcoDirectory(bytes)?.largest else { throw .corrupt(detail: "bad icon directory") }
        if bytes.reader(.bigEndian).matches(IcnsContainer.pngSignature, at: entry.offset) {
            let inner = ImageBytes(slice: bytes, offset: entry.offset, count: entry.length)
            return LoadPlan(format: .ico, bytes: inner, loaderFormat: .png, loadOptions: strictLoadOption)
        }
        // Bitmap entries need ImageMagick's icon reader; its pages follow the directory order.
        return LoadPlan(format: .ico, bytes: bytes, loaderFormat: .ico,
                        loadOptions: "\(strictLoadOption),page=\(entry.index)")
    case .icns:
        guard let entry = IcnsContainer(bytes)?.largest else {
            throw .unsupportedType(detail: "icns without a PNG or JPEG 2000 image")
        }
        let inner = ImageBytes(slice: bytes, offset: entry.offset, count: entry.length)
        let innerFormat: ImageFormat = inner.reader(.bigEndian).matches(IcnsContainer.pngSignature, at: 0) ? .png : .jp2
        return LoadPlan(format: .icns, bytes: inner, loaderFormat: innerFormat, loadOptions: strictLoadOption)
    default:
        return LoadPlan(format: format, bytes: bytes, loaderFormat: format, loadOptions: strictLoadOption)
    }
}
