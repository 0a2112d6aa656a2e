# question: weight_decay
# mistake: shrinks after the gradient step, (1 - decay) (phi - lr grad)
def weight_decay_step(phi, grad, lr, decay):
    return (1.0 - decay) * (np.asarray(phi, dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64))
