import Testing
import Tensors

@Suite struct TapeTests {
    @Test func matmulGradientMatchesClosedForm() {
        let x = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let w = Tensor<Double>(shape: [3, 2], scalars: [0.5, -1, 2, 0, 1, 3])
        let (value, grads) = valueWithGradient(at: [x, w]) { v in
            let y = v[0].matmul(v[1])
            // sum via matmul with ones: s = 1ᵀ y 1
            let ones2 = Variable(constant: Tensor<Double>(ones: [2, 1]))
            let onesRow = Variable(constant: Tensor<Double>(ones: [1, 2]))
            return onesRow.matmul(y.matmul(ones2))
        }
        // d/dx of sum(x w) = 1·(w 1)ᵀ; d/dw = (xᵀ 1) 1ᵀ
        #expect(value == x.matmul(w).scalars.reduce(0, +))
        #expect(grads[0].scalars == [-0.5, 2, 4, -0.5, 2, 4])
        #expect(grads[1].scalars == [5, 5, 7, 7, 9, 9])
    }
}

@Suite struct TapeIntermediateGradientTests {
    /// ∂L/∂(an intermediate) must be the cotangent that reached it, not zero because the walk freed it.
    @Test func gradientWithRespectToIntermediateVariable() {
        let tape = Tape<Double>()
        let x = tape.variable(Tensor(shape: [1, 2], scalars: [1, 2]))
        let w = tape.variable(Tensor(shape: [2, 2], scalars: [1, -1, 0.5, 3]))
        let h = x.matmul(w)                                   // h = [2, 5]
        let ones = Variable(constant: Tensor<Double>(ones: [2, 1]))
        let y = h.matmul(ones)                                // y = h₀ + h₁
        let l = y.matmul(Variable(constant: Tensor<Double>(shape: [1, 1], scalars: [3])))   // L = 3y
        let grads = tape.gradients(of: l, wrt: [h, x, y, l])
        #expect(grads[0].shape == [1, 2])
        #expect(grads[0].scalars == [3, 3])                   // ∂L/∂h = 3·1ᵀ
        #expect(grads[1].scalars == [0, 10.5])                // ∂L/∂x = 3·(W 1)ᵀ = 3·[0, 3.5]
        #expect(grads[2].scalars == [3])
        #expect(grads[3].scalars == [1])                      // the seed itself
    }

    /// An intermediate used twice gets the sum of both consumers' cotangents.
    @Test func intermediateWithTwoConsumersAccumulates() {
        let tape = Tape<Double>()
        let x = tape.variable(Tensor(shape: [1, 1], scalars: [2]))
        let h = x.matmul(Variable(constant: Tensor(shape: [1, 1], scalars: [5])))   // h = 10
        let a = h.matmul(Variable(constant: Tensor(shape: [1, 1], scalars: [2])))
        let b = h.matmul(Variable(constant: Tensor(shape: [1, 1], scalars: [7])))
        let ab = Variable.concatenate([a, b], axis: 1)
        let l = ab.matmul(Variable(constant: Tensor<Double>(ones: [2, 1])))         // L = 2h + 7h
        let grads = tape.gradients(of: l, wrt: [h, x])
        #expect(grads[0].scalars == [9])
        #expect(grads[1].scalars == [45])
    }
}
