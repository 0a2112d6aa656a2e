# question: layers
# mistake: the softmax does not subtract each row's maximum (overflow for large logits)
class SoftmaxCrossEntropy(SoftmaxCrossEntropy):
    def forward(self, logits, labels):
        logits = np.asarray(logits, dtype=np.float64)
        self.labels = np.asarray(labels).astype(np.int64)
        e = np.exp(logits)
        self.probs = e / e.sum(axis=1, keepdims=True)
        return float(-np.log(self.probs[np.arange(len(self.labels)), self.labels]).mean())
