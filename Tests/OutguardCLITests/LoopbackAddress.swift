#if canImport(Glibc)
    import Glibc
    /// `SOCK_STREAM` as `socket(2)` takes it on this platform.
    let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
    import Darwin
    let streamSocket = SOCK_STREAM
#endif

/// 127.0.0.1:`port` as the socket calls take it (port 0: any free one).
func loopbackAddress(port: Int = 0) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}
