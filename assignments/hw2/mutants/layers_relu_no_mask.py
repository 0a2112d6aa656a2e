# question: layers
# mistake: ReLU.backward passes the gradient through unchanged (forgotten mask)
class ReLU(ReLU):
    def backward(self, dout):
        return np.asarray(dout, dtype=np.float64)
