extension Validator {
    /// Whether the matched text passes the check. Digits are any Unicode decimal
    /// digits (a full-width `４` counts as 4); separators are ignored.
    func accepts(_ subject: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Bool {
        let text = String(decoding: UnsafeBufferPointer(rebasing: subject[range]), as: UTF8.self)
        switch self {
        case .luhn: return Checksums.luhn(Checksums.digits(of: text))
        case .mynumber: return Checksums.myNumber(Checksums.digits(of: text))
        case .iban: return Checksums.iban(text)
        }
    }
}

/// Check-digit algorithms. Hand-written because each is a few lines and no library
/// here offers them.
enum Checksums {
    static func digits(of text: String) -> [Int] {
        text.unicodeScalars.compactMap { scalar in
            scalar.properties.numericType == .decimal ? scalar.properties.numericValue.map { Int($0) } : nil
        }
    }

    /// ISO/IEC 7812 (payment cards): double every second digit from the right.
    static func luhn(_ digits: [Int]) -> Bool {
        guard digits.count >= 12 else { return false }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            let value = position % 2 == 1 ? digit * 2 : digit
            sum += value > 9 ? value - 9 : value
        }
        return sum % 10 == 0
    }

    /// Japanese Individual Number: 11 digits and a check digit (Cabinet Office
    /// ordinance: weights 2…7 then 2…6 from the digit before the check digit).
    static func myNumber(_ digits: [Int]) -> Bool {
        guard digits.count == 12 else { return false }
        var sum = 0
        for n in 1...11 {
            let digit = digits[11 - n]
            let weight = n <= 6 ? n + 1 : n - 5
            sum += digit * weight
        }
        let remainder = sum % 11
        let check = remainder <= 1 ? 0 : 11 - remainder
        return check == digits[11]
    }

    /// ISO 13616 IBAN: move the first four characters to the end, letters to numbers,
    /// and the whole must be 1 modulo 97.
    static func iban(_ text: String) -> Bool {
        let characters = text.uppercased().unicodeScalars.filter { $0 != " " && $0 != "-" }
        guard (15...34).contains(characters.count),
            characters.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return false }
        let rearranged = characters.dropFirst(4) + characters.prefix(4)
        var remainder = 0
        for scalar in rearranged {
            let value = ("0"..."9").contains(scalar) ? Int(scalar.value) - 48 : Int(scalar.value) - 55
            remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder == 1
    }
}
