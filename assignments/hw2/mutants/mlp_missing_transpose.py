# question: mlp
# mistake: dJdW1 = x.T @ dJdz1, the transpose of the right gradient (shape (in, hidden))
class MLP(MLP):
    def backward(self, dJdy_hat):
        c, p = self.cache, self.parameters
        dJdz3 = np.asarray(dJdy_hat, dtype=np.float64) * activation_grad(self.g_function, c["z3"], c["y_hat"])
        self.grads["dJdW2"] = dJdz3.T @ c["z2"]
        self.grads["dJdb2"] = dJdz3.sum(axis=0)
        dJdz1 = (dJdz3 @ p["W2"]) * activation_grad(self.f_function, c["z1"], c["z2"])
        self.grads["dJdW1"] = c["x"].T @ dJdz1
        self.grads["dJdb1"] = dJdz1.sum(axis=0)
