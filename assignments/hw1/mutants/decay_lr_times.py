# question: weight_decay
# mistake: multiplies instead of dividing by the learning rate
def l2_coefficient(lr, decay):
    return decay * lr / 2.0
