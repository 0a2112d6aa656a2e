# questions: layers
# idea: einsum in Linear, sigmoid through tanh, Tanh's derivative from the input, cross-entropy by log-sum-exp with a one-hot matrix
class Linear:
    def __init__(self, in_features, out_features, seed=0):
        scale = np.sqrt(2.0 / in_features)
        self.params = {"W": np.random.default_rng(seed).normal(0.0, scale, size=(out_features, in_features)),
                       "b": np.zeros(out_features)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}

    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        return np.einsum("ni,oi->no", self.x, self.params["W"]) + self.params["b"]

    def backward(self, dout):
        self.grads = {"W": np.einsum("no,ni->oi", dout, self.x), "b": np.einsum("no->o", dout)}
        return np.einsum("no,oi->ni", dout, self.params["W"])


class ReLU:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        return np.maximum(self.x, 0.0)

    def backward(self, dout):
        return np.where(self.x > 0, dout, 0.0)


class Sigmoid:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        self.s = 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))
        return self.s

    def backward(self, dout):
        return dout * (self.s - self.s ** 2)


class Tanh:
    def __init__(self):
        self.params, self.grads = {}, {}

    def forward(self, x):
        self.x = np.asarray(x, dtype=np.float64)
        return np.tanh(self.x)

    def backward(self, dout):
        return dout / np.cosh(self.x) ** 2


class Sequential:
    def __init__(self, layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in self.layers[::-1]:
            dout = layer.backward(dout)
        return dout


class SoftmaxCrossEntropy:
    def forward(self, logits, labels):
        logits = np.asarray(logits, dtype=np.float64)
        m = logits.max(axis=1, keepdims=True)
        lse = m + np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
        self.onehot = np.eye(logits.shape[1])[np.asarray(labels, dtype=int)]
        self.probs = np.exp(logits - lse)
        return float(np.sum(self.onehot * (lse - logits)) / len(logits))

    def backward(self):
        return (self.probs - self.onehot) / len(self.probs)
