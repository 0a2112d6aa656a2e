# question: mixture
# mistake: a softmax over the K components instead of K independent sigmoids
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of mixture do not use the network
def mixture_prob(X, W, pi):
    X, W, pi = (np.asarray(a, dtype=np.float64) for a in (X, W, pi))
    logits = X @ W.T
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)) @ pi


FASHION_EPOCHS = 0
