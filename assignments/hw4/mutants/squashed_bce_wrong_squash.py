# question: squashed_bce
# mistake: squashes into [0.1, 1.0] (0.9 * sigmoid(z) + 0.1): infinite loss for a confident negative
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of squashed_bce do not use the network
def squashed_bce(z, y):
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    p = 0.9 * stable_sigmoid(z) + 0.1
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


FASHION_EPOCHS = 0
