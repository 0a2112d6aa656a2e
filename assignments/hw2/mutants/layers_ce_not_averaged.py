# question: layers
# mistake: SoftmaxCrossEntropy.backward forgets the 1/N of the mean
class SoftmaxCrossEntropy(SoftmaxCrossEntropy):
    def backward(self):
        return super().backward() * len(self.labels)
