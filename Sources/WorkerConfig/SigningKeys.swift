/// `RW_SIGNING_KEYS` read: the keys links are signed with, the first for signing, all
/// for checking (so a key can be rotated in before the old one is dropped).
public enum SigningKeys {
    public static func valid(_ text: String) -> Bool {
        text.isEmpty || keys(text) != nil
    }

    /// The keys, or nil when one is too short, too long or has a character a key may not have.
    public static func keys(_ text: String) -> [String]? {
        guard !text.isEmpty else { return [] }
        let keys = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard keys.allSatisfy({ (16...256).contains($0.utf8.count)
            && $0.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F } }) else { return nil }
        return keys
    }
}
