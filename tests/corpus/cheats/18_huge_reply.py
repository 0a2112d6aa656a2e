# threat: make the grader decode gigabytes: answer with an enormous nested value
def softmax(x):
    return [[0.5] * 1000] * 100000
def log_softmax(x):
    v = []
    for _ in range(100000):
        v = [v]
    return v
