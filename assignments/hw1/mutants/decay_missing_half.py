# question: weight_decay
# mistake: c = decay / lr (forgets that d/dphi of c phi^2 is 2 c phi)
def l2_coefficient(lr, decay):
    return decay / lr
