import CExif

/// libexif's own reading of an EXIF block, as one more opinion for the detector:
/// a parser written by other people, with other blind spots than ours.
enum LibexifReading {
    /// Whether libexif finds GPS entries in an APP1 payload that starts with "Exif\0\0".
    static func findsGPS(_ payload: ArraySlice<UInt8>) -> Bool {
        payload.withUnsafeBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress, buffer.count <= Int(UInt32.max), let data = exif_data_new() else { return true }
            defer { exif_data_unref(data) }
            // Read only: no "fixing" of the data on load.
            exif_data_unset_option(data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION)
            exif_data_load_data(data, base, UInt32(buffer.count))
            // The directories are a C array: IFD0, IFD1, Exif, GPS, Interoperability.
            return (data.pointee.ifd.3?.pointee.count ?? 0) > 0
        }
    }
}
