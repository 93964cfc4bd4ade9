"""Exercise: SoftmaxWithLoss, softmax and the cross-entropy error (Deep Learning
from Scratch, 5.6.3). The labels t are one-hot.

EN: forward is written. Write backward: return dx (the loss is a mean over the batch).
KO: forward는 완성되어 있다. backward를 작성하여 dx를 반환한다 (손실은 배치의 평균이다).
JA: forward は完成している。backward を書き、dx を返す (損失はバッチの平均である)。

Check: python -m nn.exercises check softmax_with_loss.py --lang ko
"""

import numpy as np


def softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)  # against overflow
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    batch_size = y.shape[0]
    return -np.sum(t * np.log(y + 1e-7)) / batch_size


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        # dx = ...
        raise NotImplementedError("SoftmaxWithLoss.backward")
