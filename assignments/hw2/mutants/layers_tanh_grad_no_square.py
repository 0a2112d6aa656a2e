# question: layers
# mistake: Tanh.backward uses 1 - tanh(x) instead of 1 - tanh(x)**2
class Tanh(Tanh):
    def backward(self, dout):
        return np.asarray(dout, dtype=np.float64) * (1.0 - self.out)
