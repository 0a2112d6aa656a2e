# question: layers
# mistake: Sequential.backward runs the layers in forward order instead of reverse
class Sequential(Sequential):
    def backward(self, dout):
        for layer in self.layers:
            dout = layer.backward(dout)
        return dout
