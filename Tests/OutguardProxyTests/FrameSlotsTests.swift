import Testing

@testable import OutguardProxy

@Suite struct FrameSlotsTests {
    /// The first slot is kept inline and the rest in an array: in order, whatever their number.
    @Test func slotsKeepTheirOrder() {
        var slots = FrameSlots()
        #expect(slots.count == 0)
        let fed = (0..<4).map { index in
            TextSlot(
                segment: SegmentKey(index: index), range: (index * 10)..<(index * 10 + 5),
                role: index == 2 ? .whole(original: "all of it") : .delta(start: index, length: 5))
        }
        for (count, slot) in fed.enumerated() {
            slots.append(slot)
            #expect(slots.count == count + 1)
        }
        for index in fed.indices {
            #expect(slots[index].segment == fed[index].segment && slots[index].range == fed[index].range)
        }
        guard case .whole(let original) = slots[2].role else {
            Issue.record("the third slot repeats a whole text")
            return
        }
        #expect(original == "all of it")
    }
}
