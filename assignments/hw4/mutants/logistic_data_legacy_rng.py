# question: logistic_regression
# mistake: seeds the legacy global generator (np.random.seed) instead of np.random.default_rng(seed)
# cost: also sets FASHION_EPOCHS = 0, so the network is not trained (validate runs in a
#   fraction of the time); the tests of logistic_regression do not use the network
def make_logistic_data(seed):
    np.random.seed(seed)
    x = np.concatenate([np.random.normal(-1.0, 1.0, 10), np.random.normal(1.0, 1.0, 10)])
    return x, np.concatenate([np.zeros(10), np.ones(10)])


FASHION_EPOCHS = 0
