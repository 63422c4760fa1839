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
