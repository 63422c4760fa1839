import Adjoint
import Foundation
import NeuralODEModels
import Tensors
import TensorTestSupport
import Testing

/// A ``Communicator`` over an ``InProcessGroup``: threads standing in for processes.
struct ThreadCommunicator: Communicator {
    let group: InProcessGroup
    let rank: Int
    var size: Int { group.size }
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) { group.allReduce(buffer, rank: rank, combine: +) }
    func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Double>) { group.allReduce(buffer, rank: rank, combine: Swift.max) }
    func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) { viaDouble(buffer, combine: +) }
    func allReduceMax(_ buffer: UnsafeMutableBufferPointer<Float>) { viaDouble(buffer, combine: Swift.max) }
    func barrier() { var none = [Double](); none.withUnsafeMutableBufferPointer { allReduceSum($0) } }
    private func viaDouble(_ buffer: UnsafeMutableBufferPointer<Float>, combine: (Double, Double) -> Double) {
        var wide = buffer.map(Double.init)
        wide.withUnsafeMutableBufferPointer { group.allReduce($0, rank: rank, combine: combine) }
        for i in buffer.indices { buffer[i] = Float(wide[i]) }
    }
}

/// Data-parallel training steps (two threads, each with half of every batch) against one process
/// training on the whole batch: the same NFE at every step, the same parameters up to summation order.
@Suite(.serialized) struct DataParallelTrainingTests {
    static let batch = 12

    /// An HBNODE regressor (the Getting-started model) and its data.
    static func problem() -> (model: ContinuousDepthModel<Float>, points: Tensor<Float>, labels: Tensor<Float>) {
        var rng = SeededGenerator(seed: 4)
        let points = Tensor<Float>(randomNormal: [batch, 2], using: &rng)
        let labels = Tensor<Float>(shape: [batch, 1], scalars: (0..<batch).map { (i: Int) -> Float in
            let (x, y) = (points.scalars[2 * i], points.scalars[2 * i + 1])
            return x * x + y * y < 1 ? 1 : -1
        })
        var store = ParameterStore<Float>()
        let velocity = Sequential.mlp("initial", widths: [2, 16, 2], activation: .tanh, store: &store, rng: &rng)
        let fieldStart = store.tensorCount
        let network = Sequential.mlp("field", widths: [2, 16, 2], activation: .tanh, store: &store, rng: &rng)
        let omega = ScalarParameter("omega", initialValue: -3, frozen: false, store: &store)
        let field = ContinuousDepthField(
            dynamics: .heavyBall(HeavyBallSettings(damping: .learned(omega: omega, epsilon: 1), restoring: .none, gate: .identity)),
            network: network, parameterIDs: (fieldStart..<store.tensorCount).map(ParameterID.init(index:)))
        let decoder = Sequential([.linear(Linear("decoder", 2, 1, store: &store, rng: &rng))])
        let model = ContinuousDepthModel(name: "hbnode", family: .hbnode, parameters: store,
                                         initialCondition: .learnedVelocity(velocity), field: field, decoder: decoder)
        return (model, points, labels)
    }

    static func rows(_ tensor: Tensor<Float>, _ range: Range<Int>) -> Tensor<Float> {
        let width = tensor.count / tensor.shape[0]
        return Tensor(shape: [range.count] + tensor.shape.dropFirst(),
                      scalars: Array(tensor.scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// Trains `steps` steps on `communicator`'s slice of the batch; returns the NFE per step and the parameters.
    static func train(steps: Int, gradient: GradientMethod, communicator: (any Communicator)?, reduceNorms: Bool = true)
        throws -> (nfe: [[Int]], losses: [Double], parameters: [Float])
    {
        var (model, points, labels) = problem()
        var solver = SolverConfiguration(tolerance: 1e-6, gradient: gradient)
        var range = 0..<batch
        if let communicator {
            range = communicator.slice(ofBatch: batch)
            if reduceNorms { solver.normReduction = communicator.normReduction }
        }
        let inputs = Variable(constant: rows(points, range)), targets = rows(labels, range)
        let share = Float(range.count) / Float(batch)
        var adam = Adam<Float>(learningRate: 0.05)
        var nfe: [[Int]] = [], losses: [Double] = []
        for step in 0..<steps {
            let frozen = model
            let report = try trainingStep(parameters: &model.parameters, optimizer: &adam, learningRate: 0.05, clipNorm: 1,
                                          iteration: step, communicator: communicator) { p, log in
                Losses.meanSquaredError(try frozen(inputs, p, solver: solver, log: log), targets) * share
            }
            nfe.append([report.forwardEvaluations, report.backwardEvaluations])
            losses.append(report.loss)
        }
        return (nfe, losses, model.parameters.values.flatMap(\.scalars))
    }

    @Test("two ranks take the NFE of one process and reach its parameters", arguments: ["full", "seminorm"])
    func twoRanksMatchOneProcess(norm: String) throws {
        let gradient: GradientMethod = .backsolve(AdjointSolveOptions(norm: norm == "full" ? .full : .seminorm))
        let serial = try Self.train(steps: 6, gradient: gradient, communicator: nil)
        let group = InProcessGroup(size: 2)
        let ranks = group.run { rank in try! Self.train(steps: 6, gradient: gradient, communicator: ThreadCommunicator(group: group, rank: rank)) }
        print("data parallel (\(norm) norm): NFE serial \(serial.nfe), ranks \(ranks[0].nfe)")
        for result in ranks {
            #expect(result.nfe == serial.nfe)
            for (a, b) in zip(result.losses, serial.losses) { #expect(Swift.abs(a - b) <= 1e-5 * Swift.max(1, Swift.abs(b))) }
            let scale: Float = serial.parameters.reduce(0) { Swift.max($0, Swift.abs($1)) }
            for (a, b) in zip(result.parameters, serial.parameters) { #expect(Swift.abs(a - b) <= 1e-5 * scale) }
        }
        // Every rank applies the same update to the same bits.
        #expect(ranks[0].parameters == ranks[1].parameters)
        // Without the norm reduction the halves take their own steps, which the step's NFE check reports.
        let unreduced = group.run { rank -> String in
            do {
                _ = try Self.train(steps: 6, gradient: gradient, communicator: ThreadCommunicator(group: group, rank: rank), reduceNorms: false)
                return "trained"
            } catch { return "\(error)" }
        }
        #expect(unreduced.allSatisfy { $0.contains("the ranks disagree on the forward/backward NFE") })
    }

    @Test func slicesCoverTheBatchInRankOrder() {
        let group = InProcessGroup(size: 3)
        let slices = (0..<3).map { ThreadCommunicator(group: group, rank: $0).slice(ofBatch: 8) }
        #expect(slices == [0..<3, 3..<6, 6..<8])
    }

    @Test func disagreeingRanksThrow() {
        let group = InProcessGroup(size: 2)
        let outcomes = group.run { rank -> String in
            do {
                try ThreadCommunicator(group: group, rank: rank).checkAgreement(on: rank == 0 ? 0xabc : 0xabd, quantity: "configuration fingerprint")
                return "agreed"
            } catch { return "\(error)" }
        }
        #expect(outcomes[0].contains("disagree on the configuration fingerprint: rank 0 has abc, the ranks range from abc to abd"))
        #expect(outcomes[1].contains("rank 1 has abd"))
    }
}
