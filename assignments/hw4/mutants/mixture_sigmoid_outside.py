# question: mixture
# mistake: mixes the logits and applies one sigmoid: sigmoid(sum_k pi_k w_k.x) instead of sum_k pi_k sigmoid(w_k.x)
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of mixture do not use the network
def mixture_prob(X, W, pi):
    X, W, pi = (np.asarray(a, dtype=np.float64) for a in (X, W, pi))
    return stable_sigmoid((X @ W.T) @ pi)


FASHION_EPOCHS = 0
