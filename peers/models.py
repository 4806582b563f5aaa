"""The networks the PyTorch peers build, as the suite builds them: DenseNet-BC, VGG-16, ResNet-18 and Zhang et al.'s
char-CNN.

The peers measure the suite against PyTorch and chose the reduced scale's recipes; they are never a
dependency of the suite. Both builders take PyTorch's modules as arguments, so that a script can
report a missing PyTorch before importing it.
"""


def densenet(torch, nn, blocks=(6, 12, 24, 16), growth=12, classes=100, stem_pool=False):
    """DenseNet-BC with bottlenecks (BN-ReLU-1x1 to 4·growth, BN-ReLU-3x3 to growth), compression 0.5, no conv
    biases, a 3x3 stem to 2·growth channels (then a 2x2 average pool with `stem_pool`), and a BN-ReLU-global-average
    head: densenet_cifar with the defaults. Returns (model, input shape, classes)."""

    class Bottleneck(nn.Module):
        def __init__(self, c, growth):
            super().__init__()
            self.bn1 = nn.BatchNorm2d(c)
            self.conv1 = nn.Conv2d(c, 4 * growth, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(4 * growth)
            self.conv2 = nn.Conv2d(4 * growth, growth, 3, padding=1, bias=False)

        def forward(self, x):
            y = self.conv1(torch.relu(self.bn1(x)))
            y = self.conv2(torch.relu(self.bn2(y)))
            return torch.cat([x, y], 1)

    class Transition(nn.Module):
        def __init__(self, c, out):
            super().__init__()
            self.bn = nn.BatchNorm2d(c)
            self.conv = nn.Conv2d(c, out, 1, bias=False)

        def forward(self, x):
            return torch.nn.functional.avg_pool2d(self.conv(torch.relu(self.bn(x))), 2)

    reduction = 0.5
    c = 2 * growth
    layers = [nn.Conv2d(3, c, 3, padding=1, bias=False)] + ([nn.AvgPool2d(2)] if stem_pool else [])
    for b, n in enumerate(blocks):
        for _ in range(n):
            layers.append(Bottleneck(c, growth))
            c += growth
        if b < len(blocks) - 1:
            out = int(c * reduction)
            layers.append(Transition(c, out))
            c = out
    layers += [nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return nn.Sequential(*layers), (3, 32, 32), classes


def he_normal(nn, model, classifier_lecun=False):
    """The suite's initialisation: convs He-normal (N(0, 2/fan_in)), the classifier LeCun-normal (N(0, 1/fan_in)) with
    `classifier_lecun`, else He-normal too; biases zero."""
    for m in model.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Linear)):
            lecun = classifier_lecun and isinstance(m, nn.Linear)
            nn.init.kaiming_normal_(m.weight, nonlinearity="linear" if lecun else "relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)
    return model


def vgg16(torch, nn, width_divisor=1, classes=10):
    """VGG-16 with batch norm in its CIFAR form, as Models.vgg16: 13 3x3 convs with bias in 5 stages [64², 128², 256³,
    512³, 512³] (each width divided by `width_divisor`), each conv followed by BN and ReLU, 2x2 max pooling after each
    stage, a global average pool and a linear classifier. Returns (model, input shape, classes)."""
    stages = [[64] * 2, [128] * 2, [256] * 3, [512] * 3, [512] * 3]
    layers, c = [], 3
    for stage in stages:
        for width in stage:
            out = width // width_divisor
            layers += [nn.Conv2d(c, out, 3, padding=1), nn.BatchNorm2d(out), nn.ReLU()]
            c = out
        layers.append(nn.MaxPool2d(2))
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return he_normal(nn, nn.Sequential(*layers), classifier_lecun=True), (3, 32, 32), classes


def resnet18(torch, nn, width_divisor=1, classes=10, stem_pool=False):
    """ResNet-18 in its CIFAR form, as Models.resnet18: a 3x3 stem conv to 64 channels, four stages of two basic blocks
    (64, 128, 256, 512 channels, each divided by `width_divisor`; stride 2 from stage 2 on, 1x1 projection shortcuts
    with BN), no conv biases, global average pooling and a linear classifier; with `stem_pool` a 2x2 max pool after the
    stem's ReLU. Returns (model, input shape, classes)."""

    class Block(nn.Module):
        def __init__(self, c, out, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(c, out, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(out)
            self.conv2 = nn.Conv2d(out, out, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(out)
            self.shortcut = (nn.Sequential(nn.Conv2d(c, out, 1, stride, bias=False), nn.BatchNorm2d(out))
                             if stride != 1 or c != out else nn.Identity())

        def forward(self, x):
            y = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x)))))
            return torch.relu(y + self.shortcut(x))

    c = 64 // width_divisor
    layers = [nn.Conv2d(3, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU()] + ([nn.MaxPool2d(2)] if stem_pool else [])
    for s, width in enumerate([64, 128, 256, 512]):
        out = width // width_divisor
        for b in range(2):
            layers.append(Block(c, out, 2 if s > 0 and b == 0 else 1))
            c = out
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, classes)]
    return he_normal(nn, nn.Sequential(*layers), classifier_lecun=True), (3, 32, 32), classes


def char_cnn(nn, alphabet=70, features=256, hidden=1024, classes=4, frame=1014, batch_norm=False, global_pool=False,
             dropout=0.5, conv_bias=None, he_init=False):
    """Zhang et al.'s char-CNN: six valid temporal convs (kernels 7 7 3 3 3 3) with ReLU, max-pool 3 after convs 1 and 2
    and after conv 6 (or, with `global_pool`, a max over all positions left), then FC-ReLU-dropout twice and the
    classifier. `batch_norm` puts batch norm after every conv; conv biases default to none with it; `he_init`
    initialises convs and FC layers He-normal with zero biases (else PyTorch's defaults).
    Returns (model, input shape, classes)."""
    conv_bias = (not batch_norm) if conv_bias is None else conv_bias
    f = features

    def conv(c_in, k):
        return [nn.Conv1d(c_in, f, k, bias=conv_bias)] + ([nn.BatchNorm1d(f)] if batch_norm else []) + [nn.ReLU()]

    positions = frame
    for i, k in enumerate([7, 7, 3, 3, 3, 3]):
        positions -= k - 1
        if i in (0, 1, 5):
            positions //= 3
    layers = conv(alphabet, 7) + [nn.MaxPool1d(3)] + conv(f, 7) + [nn.MaxPool1d(3)]
    for _ in range(4):
        layers += conv(f, 3)
    layers += [nn.AdaptiveMaxPool1d(1) if global_pool else nn.MaxPool1d(3), nn.Flatten(),
               nn.Linear((1 if global_pool else positions) * f, hidden), nn.ReLU(), nn.Dropout(dropout),
               nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
               nn.Linear(hidden, classes)]
    model = nn.Sequential(*layers)
    return (he_normal(nn, model) if he_init else model), (alphabet, frame), classes
