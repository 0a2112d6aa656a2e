# questions: mlp
# idea: loops over the samples of the batch, and the parameters kept as attributes (self.W1...) that alias the arrays of the parameters dict
class MLP:
    def __init__(self, in_features, hidden_features, out_features, f_function, g_function, seed=0):
        self.f_function, self.g_function = f_function, g_function
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(0.0, 1.0 / np.sqrt(in_features), (hidden_features, in_features))
        self.b1 = np.zeros(hidden_features)
        self.W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden_features), (out_features, hidden_features))
        self.b2 = np.zeros(out_features)
        self.parameters = {"W1": self.W1, "b1": self.b1, "W2": self.W2, "b2": self.b2}
        self.grads = {"dJd" + k: np.zeros_like(v) for k, v in self.parameters.items()}
        self.cache = []

    @staticmethod
    def _act(name, z):
        if name == "relu":
            return [max(v, 0.0) for v in z]
        if name == "sigmoid":
            return [1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v)) for v in z]
        return list(z)

    @staticmethod
    def _grad(name, z, a):
        if name == "relu":
            return [1.0 if v > 0 else 0.0 for v in z]
        if name == "sigmoid":
            return [s * (1.0 - s) for s in a]
        return [1.0] * len(z)

    def forward(self, x):
        out, self.cache = [], []
        for row in np.asarray(x, dtype=np.float64):
            z1 = [float(self.W1[j] @ row + self.b1[j]) for j in range(len(self.b1))]
            z2 = self._act(self.f_function, z1)
            z3 = [float(self.W2[k] @ np.array(z2) + self.b2[k]) for k in range(len(self.b2))]
            y = self._act(self.g_function, z3)
            self.cache.append((row, z1, z2, z3, y))
            out.append(y)
        return np.array(out)

    def backward(self, dJdy_hat):
        for (row, z1, z2, z3, y), d in zip(self.cache, np.asarray(dJdy_hat, dtype=np.float64)):
            d3 = [d[k] * g for k, g in enumerate(self._grad(self.g_function, z3, y))]
            d2 = [sum(d3[k] * self.W2[k, j] for k in range(len(d3))) for j in range(len(z2))]
            d1 = [d2[j] * g for j, g in enumerate(self._grad(self.f_function, z1, z2))]
            for k in range(len(d3)):
                self.grads["dJdb2"][k] += d3[k]
                for j in range(len(z2)):
                    self.grads["dJdW2"][k, j] += d3[k] * z2[j]
            for j in range(len(d1)):
                self.grads["dJdb1"][j] += d1[j]
                for i in range(len(row)):
                    self.grads["dJdW1"][j, i] += d1[j] * row[i]

    def clear_grad_and_cache(self):
        for grad in self.grads.values():
            grad[...] = 0.0
        self.cache = []
