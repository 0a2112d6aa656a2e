# question: mlp
# mistake: initialises W2 to zero, where the true dJdW1 and dJdb1 are 0, and never backpropagates into the first layer (scored 20/20 while the tests used the student's own parameters)
class MLP:
    def __init__(self, in_features, hidden_features, out_features, f_function, g_function, seed=0):
        self.f_function = f_function
        self.g_function = g_function
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(in_features)
        self.parameters = {
            "W1": rng.uniform(-bound, bound, (hidden_features, in_features)),
            "b1": rng.uniform(-bound, bound, hidden_features),
            "W2": np.zeros((out_features, hidden_features)),
            "b2": rng.uniform(-bound, bound, out_features),
        }
        self.grads = {"dJd" + key: np.zeros_like(value) for key, value in self.parameters.items()}
        self.cache = {}

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        p = self.parameters
        z1 = x @ p["W1"].T + p["b1"]
        z2 = activation(self.f_function, z1)
        z3 = z2 @ p["W2"].T + p["b2"]
        y_hat = activation(self.g_function, z3)
        self.cache = {"x": x, "z1": z1, "z2": z2, "z3": z3, "y_hat": y_hat}
        return y_hat

    def backward(self, dJdy_hat):
        c = self.cache
        dJdz3 = np.asarray(dJdy_hat, dtype=np.float64) * activation_grad(self.g_function, c["z3"], c["y_hat"])
        self.grads["dJdW2"] += dJdz3.T @ c["z2"]
        self.grads["dJdb2"] += dJdz3.sum(axis=0)

    def clear_grad_and_cache(self):
        for grad in self.grads.values():
            grad[...] = 0.0
        self.cache = {}
