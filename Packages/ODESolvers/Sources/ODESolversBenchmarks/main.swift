import ODESolvers
import Tensors

print("odesolvers-bench")
