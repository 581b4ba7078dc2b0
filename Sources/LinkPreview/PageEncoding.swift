import CXMLShim

/// A character encoding as the WHATWG Encoding Standard names it, found from a
/// label the way browsers find it (`utf8`, `latin1` and `ascii` are windows-1252,
/// `x-sjis` is Shift_JIS…), and its decoder: bytes in, valid UTF-8 out, a byte
/// that is not valid in the encoding turned into U+FFFD, never an error.
public struct PageEncoding: Equatable, Sendable {
    /// The Encoding Standard's name.
    let name: String

    /// A page's bytes as valid UTF-8: the encoding found as `EncodingSniffer` finds it
    /// (`transportCharset` from the Content-Type), the byte order mark dropped.
    public static func decodePage(_ bytes: [UInt8], transportCharset: String?) -> [UInt8] {
        let (encoding, bomLength) = EncodingSniffer.encoding(of: bytes, transportCharset: transportCharset)
        return encoding.decode(bytes.dropFirst(bomLength))
    }

    static let utf8 = PageEncoding(name: "UTF-8")
    static let windows1252 = PageEncoding(name: "windows-1252")

    /// The Encoding Standard's label table: each name with its labels.
    static let labels: [String: [String]] = [
        "UTF-8": ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"],
        "IBM866": ["866", "cp866", "csibm866", "ibm866"],
        "ISO-8859-2": ["csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2", "iso_8859-2:1987", "l2",
                       "latin2"],
        "ISO-8859-3": ["csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3", "iso_8859-3:1988", "l3",
                       "latin3"],
        "ISO-8859-4": ["csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4", "iso_8859-4:1988", "l4",
                       "latin4"],
        "ISO-8859-5": ["csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595", "iso_8859-5",
                       "iso_8859-5:1988"],
        "ISO-8859-6": ["arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114", "iso-8859-6",
                       "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596", "iso_8859-6", "iso_8859-6:1987"],
        "ISO-8859-7": ["csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126", "iso8859-7",
                       "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"],
        "ISO-8859-8": ["csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138", "iso8859-8",
                       "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"],
        "ISO-8859-8-I": ["csiso88598i", "iso-8859-8-i", "logical"],
        "ISO-8859-10": ["csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"],
        "ISO-8859-13": ["iso-8859-13", "iso8859-13", "iso885913"],
        "ISO-8859-14": ["iso-8859-14", "iso8859-14", "iso885914"],
        "ISO-8859-15": ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"],
        "ISO-8859-16": ["iso-8859-16"],
        "KOI8-R": ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"],
        "KOI8-U": ["koi8-ru", "koi8-u"],
        "macintosh": ["csmacintosh", "mac", "macintosh", "x-mac-roman"],
        "windows-874": ["dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"],
        "windows-1250": ["cp1250", "windows-1250", "x-cp1250"],
        "windows-1251": ["cp1251", "windows-1251", "x-cp1251"],
        "windows-1252": ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
                         "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252",
                         "x-cp1252"],
        "windows-1253": ["cp1253", "windows-1253", "x-cp1253"],
        "windows-1254": ["cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
                         "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"],
        "windows-1255": ["cp1255", "windows-1255", "x-cp1255"],
        "windows-1256": ["cp1256", "windows-1256", "x-cp1256"],
        "windows-1257": ["cp1257", "windows-1257", "x-cp1257"],
        "windows-1258": ["cp1258", "windows-1258", "x-cp1258"],
        "x-mac-cyrillic": ["x-mac-cyrillic", "x-mac-ukrainian"],
        "GBK": ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "iso-ir-58", "x-gbk"],
        "gb18030": ["gb18030"],
        "Big5": ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"],
        "EUC-JP": ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"],
        "ISO-2022-JP": ["csiso2022jp", "iso-2022-jp"],
        "Shift_JIS": ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"],
        "EUC-KR": ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601",
                   "ksc_5601", "windows-949"],
        "replacement": ["csiso2022kr", "hz-gb-2312", "iso-2022-cn", "iso-2022-cn-ext", "iso-2022-kr", "replacement"],
        "UTF-16BE": ["unicodefffe", "utf-16be"],
        "UTF-16LE": ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"],
        "x-user-defined": ["x-user-defined"],
    ]

    private static let byLabel: [String: String] = Dictionary(
        uniqueKeysWithValues: labels.flatMap { name, labels in labels.map { ($0, name) } })

    /// The Encoding Standard's "get an encoding": ASCII whitespace trimmed, ASCII case ignored;
    /// nil for a label it does not list.
    init?(label: some StringProtocol) {
        let whitespace: Set<Character> = ["\t", "\n", "\u{0C}", "\r", " "]
        let trimmed = label.drop(while: { whitespace.contains($0) }).reversed().drop(while: { whitespace.contains($0) })
        guard trimmed.count <= 40 else { return nil }
        let key = String(trimmed.reversed()).lowercased()
        guard key.allSatisfy(\.isASCII), let name = Self.byLabel[key] else { return nil }
        self.name = name
    }

    private init(name: String) { self.name = name }

    /// The names iconv gives the Encoding Standard's multi-byte and single-byte encodings,
    /// where they differ; each is the superset the Standard's decoder reads.
    static let iconvNames: [String: String] = [
        "ISO-8859-8-I": "ISO-8859-8", "macintosh": "MACINTOSH", "windows-874": "CP874", "x-mac-cyrillic": "MAC-CYRILLIC",
        "GBK": "GB18030", "gb18030": "GB18030", "Big5": "BIG5-HKSCS", "Shift_JIS": "CP932", "EUC-KR": "CP949",
        "windows-1250": "CP1250", "windows-1251": "CP1251", "windows-1253": "CP1253", "windows-1254": "CP1254",
        "windows-1255": "CP1255", "windows-1256": "CP1256", "windows-1257": "CP1257", "windows-1258": "CP1258",
    ]

    /// `bytes` as valid UTF-8.
    func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        switch name {
        case "UTF-8":
            return Array(String(decoding: bytes, as: UTF8.self).utf8)
        case "UTF-16LE", "UTF-16BE":
            return Self.utf16(bytes, bigEndian: name == "UTF-16BE")
        case "windows-1252":
            return Self.windows1252(bytes)
        case "x-user-defined":
            return Self.utf8(bytes.map { $0 < 0x80 ? UInt32($0) : 0xF780 + UInt32($0) - 0x80 })
        case "replacement":
            // The Standard's guard against encodings that can smuggle markup: one U+FFFD, nothing else.
            return bytes.isEmpty ? [] : [0xEF, 0xBF, 0xBD]
        default:
            // iconv, from the C layer; a charset this system's iconv lacks is read as windows-1252.
            return Self.converted(bytes, from: Self.iconvNames[name] ?? name) ?? Self.windows1252(bytes)
        }
    }

    /// windows-1252 as the Standard defines it: Latin-1, with 0x80–0x9F mapped to the
    /// characters Windows put there (and the five it left unassigned kept as C1 controls).
    static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    static func windows1252(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        utf8(bytes.map { (0x80...0x9F).contains($0) ? windows1252High[Int($0) - 0x80] : UInt32($0) })
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        var text = String(decoding: units, as: UTF16.self)
        if index < bytes.endIndex { text.append("\u{FFFD}") }  // a lone last byte
        return Array(text.utf8)
    }

    static func utf8(_ scalars: [UInt32]) -> [UInt8] {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars.map { Unicode.Scalar($0) ?? "\u{FFFD}" })
        return Array(String(text).utf8)
    }

    private static func converted(_ bytes: ArraySlice<UInt8>, from charset: String) -> [UInt8]? {
        var length = 0
        let output = bytes.withUnsafeBufferPointer { buffer in
            rw_convert_to_utf8(charset, buffer.baseAddress, buffer.count, &length)
        }
        guard let output else { return nil }
        defer { rw_free_converted(output) }
        // iconv's output is valid UTF-8 by its contract; decoding it again costs little and makes sure.
        return Array(String(decoding: UnsafeBufferPointer(start: output, count: length), as: UTF8.self).utf8)
    }
}
