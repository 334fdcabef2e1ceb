"""PyTorch versions of the model builders' architectures, for training.

Each network has the layer structure of its `escalate.models` builder
(module names included, so exported node names match:
"/layer1/layer1.0/conv1/Conv") and adapts to the data set: the stem takes
the images' channels, pools are dropped where the feature map would fall
below 1x1, the classifier takes `classes` outputs. `width` scales every
layer's channels (the builders' networks are width 64 for the ResNets and
VGG); training on two cores wants a narrower one.
"""

import torch
from torch import nn
import torch.nn.functional as F

__all__ = ["ARCHITECTURES", "build"]


class BasicBlock(nn.Module):
    """ResNet BasicBlock with kuangliu's names (`shortcut`, F.relu)."""

    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, planes, 1, stride, bias=False),
                nn.BatchNorm2d(planes))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class ResNet(nn.Module):
    """CIFAR-style ResNet (kuangliu): 3x3 stem, stages of BasicBlocks, the
    first block of every later stage downsampling, global average pool."""

    def __init__(self, blocks, channels, classes, width):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        cin = width
        for i, n in enumerate(blocks):
            planes = width << i
            layers = []
            for j in range(n):
                layers.append(BasicBlock(cin, planes, 2 if i and not j else 1))
                cin = planes
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*layers))
        self.stages = len(blocks)
        self.linear = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for i in range(self.stages):
            x = getattr(self, "layer%d" % (i + 1))(x)
        x = F.adaptive_avg_pool2d(x, 1)
        return self.linear(torch.flatten(x, 1))


VGG16 = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M",
         512, 512, 512, "M", 512, 512, 512, "M"]


class VGG(nn.Module):
    """kuangliu's CIFAR VGG: conv-BN-ReLU features with max pools, one
    linear classifier. A pool that would shrink the map below 1x1 (28x28
    images reach 1x1 after four) is left out."""

    def __init__(self, cfg, channels, size, classes, width):
        super().__init__()
        layers, cin = [], channels
        for v in cfg:
            if v == "M":
                if size >= 2:
                    layers.append(nn.MaxPool2d(2, 2))
                    size //= 2
                continue
            v = v * width // 64
            layers += [nn.Conv2d(cin, v, 3, 1, 1), nn.BatchNorm2d(v),
                       nn.ReLU(inplace=True)]
            cin = v
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(cin * size * size, classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class TinyCNN(nn.Module):
    """The builders' tiny_cnn: conv-BN-ReLU, strided conv, max pool, a
    residual conv, global average pool, linear (softmax left to the loss)."""

    def __init__(self, channels, classes, width):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, 2 * width, 3, 2, 1)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv3 = nn.Conv2d(2 * width, 2 * width, 3, 1, 1)
        self.fc = nn.Linear(2 * width, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x + F.relu(self.conv3(x))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


# name -> (constructor(channels, size, classes, width), default width)
ARCHITECTURES = {
    "resnet18_cifar": (lambda c, s, k, w: ResNet([2, 2, 2, 2], c, k, w), 64),
    # A small ResNet: three stages of one block (ResNet-8).
    "resnet8": (lambda c, s, k, w: ResNet([1, 1, 1], c, k, w), 16),
    "vgg16_cifar": (lambda c, s, k, w: VGG(VGG16, c, s, k, w), 64),
    "tiny_cnn": (lambda c, s, k, w: TinyCNN(c, k, w), 16),
}


def build(name, shape, classes, width=None):
    """Architecture `name` for images of `shape` (C, H, W) and `classes`
    labels; `width` overrides its base width."""
    if name not in ARCHITECTURES:
        raise ValueError("unknown architecture '%s' (%s)"
                         % (name, ", ".join(sorted(ARCHITECTURES))))
    make, default = ARCHITECTURES[name]
    c, h, w = shape
    if h != w:
        raise ValueError("images must be square, not %dx%d" % (h, w))
    return make(c, h, classes, width or default)
