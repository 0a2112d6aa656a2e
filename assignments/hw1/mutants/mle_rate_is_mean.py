# question: mle
# mistake: returns the mean waiting time as the rate (it is its inverse)
def mle_exponential_rate(samples):
    return float(np.mean(samples))
