# question: fashion_mlp
# mistake: trains for 0 epochs (an untrained model and an empty history)
FASHION_EPOCHS = 0
