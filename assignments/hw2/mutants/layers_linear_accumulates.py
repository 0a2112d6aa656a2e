# question: layers
# mistake: Linear.backward adds to the stored gradients instead of overwriting them
class Linear(Linear):
    def backward(self, dout):
        dout = np.asarray(dout, dtype=np.float64)
        self.grads["W"] += dout.T @ self.x
        self.grads["b"] += dout.sum(axis=0)
        return dout @ self.params["W"]
