import CExif

/// A second, independent reading of an EXIF block after GPS removal: if
/// libexif still finds a GPS entry, the block goes whole. Two parsers must
/// both miss a location for it to leak.
enum LibexifCrossCheck {
    /// - Parameter range: the APP1 payload, starting at "Exif\0\0".
    static func findsGPS(in bytes: [UInt8], range: Range<Int>) -> Bool {
        bytes[range].withUnsafeBufferPointer { payload -> Bool in
            guard let base = payload.baseAddress, let data = exif_data_new() else { return true }
            defer { exif_data_unref(data) }
            // Read only: no "fixing" of the data on load.
            exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
            exif_data_load_data(data, base, UInt32(payload.count))
            // The directories are a C array: IFD0, IFD1, Exif, GPS, Interoperability.
            let gps = data.pointee.ifd.3
            return (gps?.pointee.count ?? 0) > 0
        }
    }
}
