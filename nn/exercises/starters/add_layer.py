"""Exercise: AddLayer, the addition node (Deep Learning from Scratch, 5.4.2).

EN: forward is written. Write backward: return dx and dy.
KO: forward는 완성되어 있다. backward를 작성하여 dx와 dy를 반환한다.
JA: forward は完成している。backward を書き、dx と dy を返す。

Check: python -m nn.exercises check add_layer.py --lang ko
"""


class AddLayer:
    def __init__(self):
        pass

    def forward(self, x, y):
        out = x + y
        return out

    def backward(self, dout):
        # dx = ..., dy = ...
        raise NotImplementedError("AddLayer.backward")
