# questions: mlp
# idea: the seed's per-sample chain of Jacobian matrices (diagonal ones built explicitly), looped over the batch; normal initialisation; gradients overwritten
class MLP:
    def __init__(self, in_features, hidden_features, out_features, f_function, g_function, seed=0):
        rng = np.random.default_rng(seed)
        self.f_function, self.g_function = f_function, g_function
        self.parameters = {
            "W1": rng.normal(0.0, np.sqrt(1.0 / in_features), (hidden_features, in_features)),
            "b1": np.zeros(hidden_features),
            "W2": rng.normal(0.0, np.sqrt(1.0 / hidden_features), (out_features, hidden_features)),
            "b2": np.zeros(out_features),
        }
        self.clear_grad_and_cache()

    @staticmethod
    def _act(name, z):
        return {"relu": lambda v: np.maximum(v, 0.0), "sigmoid": lambda v: 1.0 / (1.0 + np.exp(-v)),
                "identity": lambda v: v}[name](z)

    @staticmethod
    def _jac(name, z):
        if name == "relu":
            d = (z > 0).astype(float)
        elif name == "sigmoid":
            s = 1.0 / (1.0 + np.exp(-z))
            d = s * (1.0 - s)
        else:
            d = np.ones_like(z)
        return np.diag(d)

    def forward(self, x):
        p = self.parameters
        self.cache["x"] = x = np.asarray(x, dtype=np.float64)
        self.cache["z1"] = z1 = np.stack([p["W1"] @ row + p["b1"] for row in x])
        self.cache["z2"] = z2 = self._act(self.f_function, z1)
        self.cache["z3"] = z3 = np.stack([p["W2"] @ row + p["b2"] for row in z2])
        return self._act(self.g_function, z3)

    def backward(self, dJdy_hat):
        c, p = self.cache, self.parameters
        grads = {k: np.zeros_like(v) for k, v in self.grads.items()}
        for n in range(len(c["x"])):
            dz3 = np.asarray(dJdy_hat[n], dtype=np.float64) @ self._jac(self.g_function, c["z3"][n])
            grads["dJdb2"] += dz3
            grads["dJdW2"] += np.outer(dz3, c["z2"][n])
            dz1 = dz3 @ p["W2"] @ self._jac(self.f_function, c["z1"][n])
            grads["dJdb1"] += dz1
            grads["dJdW1"] += np.outer(dz1, c["x"][n])
        self.grads = grads

    def clear_grad_and_cache(self):
        self.grads = {"dJd" + k: np.zeros_like(v) for k, v in self.parameters.items()}
        self.cache = {}
