# questions: weight_decay
# idea: the same update written as phi - decay * phi - lr * grad, and c as 0.5 * decay / lr
def weight_decay_step(phi, grad, lr, decay):
    phi = np.asarray(phi, dtype=np.float64)
    return phi - decay * phi - lr * np.asarray(grad)


def l2_coefficient(lr, decay):
    return 0.5 * decay / lr
