# question: mixture
# mistake: averages the components uniformly, ignoring the mixing weights pi
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of mixture do not use the network
def mixture_prob(X, W, pi):
    X, W = np.asarray(X, dtype=np.float64), np.asarray(W, dtype=np.float64)
    return stable_sigmoid(X @ W.T).mean(axis=1)


FASHION_EPOCHS = 0
