extension HostNameRules {
    public func refusesByName(_ name: String) -> Bool { denies(name) || name == "localhost" || name.hasSuffix(".localhost") }
}
