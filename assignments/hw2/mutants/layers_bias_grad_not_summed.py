# question: layers
# mistake: Linear's bias gradient is averaged over the batch instead of summed
class Linear(Linear):
    def backward(self, dout):
        dout = np.asarray(dout, dtype=np.float64)
        self.grads["W"] = dout.T @ self.x
        self.grads["b"] = dout.mean(axis=0)
        return dout @ self.params["W"]
