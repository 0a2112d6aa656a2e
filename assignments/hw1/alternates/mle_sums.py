# questions: mle
# idea: sums and counts by hand, returning numpy scalars
def mle_gaussian_mean(samples):
    return np.sum(samples) / len(samples)


def mle_exponential_rate(samples):
    return len(samples) / np.sum(samples)
