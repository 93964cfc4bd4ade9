"""Exercise: Affine, the layer x · W + b (Deep Learning from Scratch, 5.6.2).

EN: forward is written. Write backward: return dx, and set self.dW and self.db.
KO: forward는 완성되어 있다. backward를 작성하여 dx를 반환하고 self.dW, self.db를 구한다.
JA: forward は完成している。backward を書き、dx を返し、self.dW と self.db を求める。

Check: python -m nn.exercises check affine.py --lang ko
"""

import numpy as np


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        out = np.dot(x, self.W) + self.b
        return out

    def backward(self, dout):
        # dx = ..., self.dW = ..., self.db = ...
        raise NotImplementedError("Affine.backward")
