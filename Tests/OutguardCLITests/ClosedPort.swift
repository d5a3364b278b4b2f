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

/// A loopback port nothing listens on: one the system just gave out and took back, so a
/// connection to it is refused at once.
func closedLoopbackPort() throws -> Int {
    struct NoSocket: Error {}
    let descriptor = socket(AF_INET, streamSocket, 0)
    guard descriptor >= 0 else { throw NoSocket() }
    defer { close(descriptor) }
    var address = loopbackAddress()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw NoSocket() }
    return Int(UInt16(bigEndian: address.sin_port))
}
