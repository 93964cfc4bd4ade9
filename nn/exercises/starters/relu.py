"""Exercise: Relu (Deep Learning from Scratch, 5.5.1).

EN: forward is written and keeps a mask. Write backward: return dx.
KO: forward는 완성되어 있고 mask를 저장한다. backward를 작성하여 dx를 반환한다.
JA: forward は完成していて mask を保存する。backward を書き、dx を返す。

Check: python -m nn.exercises check relu.py --lang ko
"""


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        # dx = ...
        raise NotImplementedError("Relu.backward")
