# question: mle
# mistake: uses the median, which is not the maximum-likelihood estimate of a normal mean
def mle_gaussian_mean(samples):
    return float(np.median(samples))
