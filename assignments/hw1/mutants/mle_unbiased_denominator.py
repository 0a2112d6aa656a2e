# question: mle
# mistake: divides the sum by n - 1 for the mean
def mle_gaussian_mean(samples):
    s = np.asarray(samples, dtype=np.float64)
    return float(s.sum() / max(s.size - 1, 1))
