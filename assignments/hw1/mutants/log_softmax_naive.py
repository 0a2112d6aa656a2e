# question: log_softmax
# mistake: takes the log of the softmax, so an underflowed probability becomes -inf
def log_softmax(x):
    return np.log(softmax(x))
