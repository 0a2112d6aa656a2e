# questions: mlp
# idea: einsum for every product, activations as (function, derivative-from-output) pairs
_ACTS = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: np.heaviside(z, 0.0)),
    "sigmoid": (lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)), lambda z, a: a - a * a),
    "identity": (lambda z: z, lambda z, a: np.ones_like(z)),
}


class MLP:
    def __init__(self, in_features, hidden_features, out_features, f_function, g_function, seed=0):
        rng = np.random.default_rng(seed)
        self.f_function, self.g_function = f_function, g_function
        shapes = {"W1": (hidden_features, in_features), "b1": (hidden_features,),
                  "W2": (out_features, hidden_features), "b2": (out_features,)}
        self.parameters = {k: rng.uniform(-0.5, 0.5, s) for k, s in shapes.items()}
        self.grads = {"dJd" + k: np.zeros(s) for k, s in shapes.items()}
        self.cache = {}

    def forward(self, x):
        p, (f, _), (g, _) = self.parameters, _ACTS[self.f_function], _ACTS[self.g_function]
        x = np.asarray(x, dtype=np.float64)
        z1 = np.einsum("bi,hi->bh", x, p["W1"]) + p["b1"]
        z2 = f(z1)
        z3 = np.einsum("bh,oh->bo", z2, p["W2"]) + p["b2"]
        y_hat = g(z3)
        self.cache = dict(x=x, z1=z1, z2=z2, z3=z3, y_hat=y_hat)
        return y_hat

    def backward(self, dJdy_hat):
        c, p = self.cache, self.parameters
        df, dg = _ACTS[self.f_function][1], _ACTS[self.g_function][1]
        d3 = dJdy_hat * dg(c["z3"], c["y_hat"])
        d1 = np.einsum("bo,oh->bh", d3, p["W2"]) * df(c["z1"], c["z2"])
        self.grads["dJdW2"] = self.grads["dJdW2"] + np.einsum("bo,bh->oh", d3, c["z2"])
        self.grads["dJdb2"] = self.grads["dJdb2"] + np.einsum("bo->o", d3)
        self.grads["dJdW1"] = self.grads["dJdW1"] + np.einsum("bh,bi->hi", d1, c["x"])
        self.grads["dJdb1"] = self.grads["dJdb1"] + np.einsum("bh->h", d1)

    def clear_grad_and_cache(self):
        self.grads = {k: np.zeros_like(v) for k, v in self.grads.items()}
        self.cache = {}
