import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The floor `outguard bench hooks` compares the hook client against: one blocking TCP
/// socket with keep-alive, sending prepared request bytes and reading the answer by its
/// Content-Length. It does nothing a real client must (no JSON, no timeouts, no TLS).
final class BareSocketClient {
    private let host: String
    private let port: Int
    private let request: [UInt8]
    private var fd: Int32 = -1

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Nil when `url` is not `http://IPv4:PORT/path`.
    init?(url: String, body: [UInt8]) throws {
        guard let components = URLComponents(string: url), components.scheme == "http", let host = components.host,
            let port = components.port, host.allSatisfy({ $0.isNumber || $0 == "." })
        else { return nil }
        self.host = host
        self.port = port
        let head =
            "POST \(components.percentEncodedPath) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: application/json\r\nAccept: application/json\r\nUser-Agent: outguard\r\nContent-Length: \(body.count)\r\n\r\n"
        request = Array(head.utf8) + body
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Sequential calls, each timed from sending to the answer's last byte, in ms.
    func time(calls: Int) throws -> [Double] {
        if fd < 0 { try connect() }
        var times: [Double] = []
        times.reserveCapacity(calls)
        var buffer = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<calls {
            let start = ContinuousClock.now
            try request.withUnsafeBytes { bytes in
                var sent = 0
                while sent < bytes.count {
                    let count = send(fd, bytes.baseAddress! + sent, bytes.count - sent, 0)
                    guard count > 0 else { throw Failure(description: "send failed") }
                    sent += count
                }
            }
            try readAnswer(into: &buffer)
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
        }
        return times
    }

    private func connect() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw Failure(description: "cannot connect to \(host):\(port)") }
    }

    /// Reads one answer: its head up to the blank line, then Content-Length bytes.
    private func readAnswer(into buffer: inout [UInt8]) throws {
        var received: [UInt8] = []
        var expected: Int?
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "the classifier closed the connection") }
            received += buffer[0..<count]
            if expected == nil, let end = Self.headEnd(received) {
                let head = String(decoding: received[0..<end], as: UTF8.self).lowercased()
                guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                    let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                else { throw Failure(description: "an answer without Content-Length") }
                expected = end + 4 + length
            }
            if let expected, received.count >= expected { return }
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
