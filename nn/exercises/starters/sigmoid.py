"""Exercise: Sigmoid (Deep Learning from Scratch, 5.5.2).

EN: forward is written and keeps its output. Write backward: return dx.
KO: forward는 완성되어 있고 출력을 저장한다. backward를 작성하여 dx를 반환한다.
JA: forward は完成していて出力を保存する。backward を書き、dx を返す。

Check: python -m nn.exercises check sigmoid.py --lang ko
"""

import numpy as np


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out

    def backward(self, dout):
        # dx = ...
        raise NotImplementedError("Sigmoid.backward")
