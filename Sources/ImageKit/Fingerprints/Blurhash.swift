#if canImport(Glibc)
import Glibc
#endif

/// BlurHash (Wolt's placeholder format): the picture as a few cosine components,
/// written in base 83. The arithmetic follows the reference implementations step
/// for step (the same sums in the same order, the same rounding), so the string
/// equals theirs for the same pixels; a test checks it against PyPI `blurhash`.
enum Blurhash {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~")

    /// - Parameter rgb: `width`×`height` sRGB pixels, three bytes each, row by row.
    static func encode(rgb: [UInt8], width: Int, height: Int, componentsX: Int = 4, componentsY: Int = 3) -> String {
        precondition((1...9).contains(componentsX) && (1...9).contains(componentsY) && width > 0 && height > 0
                     && rgb.count == width * height * 3)
        let linear = rgb.map { linearValues[Int($0)] }
        let w = Double(width), h = Double(height)
        // The cosines by column and by row, once: the same values the per-pixel formula computes.
        let cosX = (0..<componentsX).map { i in (0..<width).map { x in cos(Double.pi * Double(i) * Double(x) / w) } }
        let cosY = (0..<componentsY).map { j in (0..<height).map { y in cos(Double.pi * Double(j) * Double(y) / h) } }
        var components: [(Double, Double, Double)] = []
        var maxAC = 0.0
        for j in 0..<componentsY {
            for i in 0..<componentsX {
                let norm = i == 0 && j == 0 ? 1.0 : 2.0
                var r = 0.0, g = 0.0, b = 0.0
                for y in 0..<height {
                    for x in 0..<width {
                        let basis = norm * cosX[i][x] * cosY[j][y]
                        let offset = (y * width + x) * 3
                        r += basis * linear[offset]
                        g += basis * linear[offset + 1]
                        b += basis * linear[offset + 2]
                    }
                }
                let component = (r / (w * h), g / (w * h), b / (w * h))
                components.append(component)
                if i != 0 || j != 0 { maxAC = max(maxAC, abs(component.0), abs(component.1), abs(component.2)) }
            }
        }
        let dc = components[0]
        let dcValue = (linearToSRGB(dc.0) << 16) + (linearToSRGB(dc.1) << 8) + linearToSRGB(dc.2)
        let quantisedMaxAC = Int(max(0, min(82, (maxAC * 166 - 0.5).rounded(.down))))
        let acNorm = Double(quantisedMaxAC + 1) / 166
        func quantise(_ value: Double) -> Int {
            Int(max(0, min(18, (signPow(value / acNorm, 0.5) * 9 + 9.5).rounded(.down))))
        }
        var hash = base83(componentsX - 1 + (componentsY - 1) * 9, length: 1) + base83(quantisedMaxAC, length: 1)
            + base83(dcValue, length: 4)
        for (r, g, b) in components.dropFirst() {
            hash += base83(quantise(r) * 19 * 19 + quantise(g) * 19 + quantise(b), length: 2)
        }
        return hash
    }

    /// `srgbToLinear` of every byte value.
    static let linearValues = (0...255).map { srgbToLinear(UInt8($0)) }

    static func srgbToLinear(_ value: UInt8) -> Double {
        let v = Double(value) / 255
        return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    static func linearToSRGB(_ value: Double) -> Int {
        let v = max(0, min(1, value))
        return v <= 0.0031308 ? Int(v * 12.92 * 255 + 0.5) : Int((1.055 * pow(v, 1 / 2.4) - 0.055) * 255 + 0.5)
    }

    static func signPow(_ value: Double, _ exponent: Double) -> Double {
        copysign(pow(abs(value), exponent), value)
    }

    static func base83(_ value: Int, length: Int) -> String {
        var digits = [Character](repeating: "0", count: length)
        var rest = value
        for index in stride(from: length - 1, through: 0, by: -1) {
            digits[index] = alphabet[rest % 83]
            rest /= 83
        }
        return String(digits)
    }
}
