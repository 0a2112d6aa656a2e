# question: layers
# mistake: Sigmoid.backward uses the input x (1 - x) instead of the output sigma(x) (1 - sigma(x))
class Sigmoid(Sigmoid):
    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        return super().forward(x)

    def backward(self, dout):
        return np.asarray(dout, dtype=np.float64) * self.x * (1.0 - self.x)
