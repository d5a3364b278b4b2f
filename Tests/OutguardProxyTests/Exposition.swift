import Prometheus

/// A Prometheus text export read back: each sample's value by its series, written as
/// the export writes it (`name{label="value",…}`), and the `# TYPE` of each family.
struct Exposition {
    let text: String
    private(set) var samples: [String: Double] = [:]
    private(set) var types: [String: String] = [:]

    init(_ registry: PrometheusCollectorRegistry) {
        self.init(registry.emitToString())
    }

    init(_ text: String) {
        self.text = text
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
    }

    subscript(series: String) -> Double? { samples[series] }

    /// The series of one family (histograms: its `_bucket`, `_sum` and `_count` series).
    func series(of name: String) -> [String] {
        samples.keys.filter { $0 == name || $0.hasPrefix(name + "{") || $0.hasPrefix(name + "_") }.sorted()
    }
}
