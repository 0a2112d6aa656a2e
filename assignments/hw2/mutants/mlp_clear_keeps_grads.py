# question: mlp
# mistake: clear_grad_and_cache forgets the cache but keeps the accumulated gradients
class MLP(MLP):
    def clear_grad_and_cache(self):
        self.cache = {}
