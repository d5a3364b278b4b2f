/// The order in which streamed pieces of several choices are sent: the first piece of
/// every choice, then the second of every choice, and so on, as APIs that generate
/// choices in parallel interleave them.
enum RoundRobin {
    static func order(_ pieces: [[String]]) -> [(choice: Int, piece: String)] {
        var order: [(choice: Int, piece: String)] = []
        order.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        let rounds = pieces.map(\.count).max() ?? 0
        for round in 0..<rounds {
            for (choice, list) in pieces.enumerated() where round < list.count {
                order.append((choice, list[round]))
            }
        }
        return order
    }
}
