import Tensors
// Finite-difference gradient checker: filled in by issue 2.
