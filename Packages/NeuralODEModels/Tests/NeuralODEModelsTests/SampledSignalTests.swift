import Testing
@testable import NeuralODEModels

@Suite struct SampledSignalTests {
    @Test func readings() {
        let forcing = SampledSignal(values: [0.5, -1, 2, 4], reading: .referenceExtrapolation)
        #expect(forcing(0.5) == -0.25)
        // The reference reads t ≥ 1 as the line through samples 1 and 2, even past the last sample.
        #expect(forcing(3) == -1 + 2 * 3)
        let plain = SampledSignal(values: [0.5, -1, 2, 4])
        #expect(plain(2.5) == 3 && plain(10) == 4)
    }
}
