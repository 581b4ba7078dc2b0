/// Standard base64 with padding and no line breaks, appended in place.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encodedLength(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    public static func append(_ data: [UInt8], to output: inout [UInt8]) {
        output.reserveCapacity(output.count + encodedLength(data.count))
        let table = alphabet
        var index = 0
        let whole = data.count - data.count % 3
        while index < whole {
            let chunk = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
            output.append(table[Int(chunk >> 18 & 63)])
            output.append(table[Int(chunk >> 12 & 63)])
            output.append(table[Int(chunk >> 6 & 63)])
            output.append(table[Int(chunk & 63)])
            index += 3
        }
        switch data.count - whole {
        case 1:
            let chunk = UInt32(data[index]) << 16
            output.append(contentsOf: [table[Int(chunk >> 18 & 63)], table[Int(chunk >> 12 & 63)], 61, 61])
        case 2:
            let chunk = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8
            output.append(contentsOf: [table[Int(chunk >> 18 & 63)], table[Int(chunk >> 12 & 63)],
                                       table[Int(chunk >> 6 & 63)], 61])
        default:
            break
        }
    }
}
