# question: squashed_bce
# mistake: the ordinary binary cross-entropy of sigmoid(z), without the squashing
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of squashed_bce do not use the network
def squashed_bce(z, y):
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return np.logaddexp(0.0, z) - y * z


FASHION_EPOCHS = 0
