"""The paper-size Concat training step of the step benchmark under PyTorch, for comparison with the kit.

Two ResNet-18s (torchvision's layout, written out here: no torchvision needed) encode a CREMA-D batch: audio as a
(B, 1, 257, 188) spectrogram, video as one 224x224 RGB frame per clip; their pooled 512-d features are concatenated
into a linear classifier over 6 emotions; cross-entropy, backward, SGD (lr 1e-3, momentum 0.9, weight decay 1e-4).
Prints one JSON line: samples per second over the timed steps, after warm-up steps.

Needs PyTorch for Python 3 (Debian: apt-get install python3-torch). Not a test dependency.
Usage: python3 concat_step.py [--batch 8] [--steps 5] [--warmup 2] [--threads 2]
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        skip = x if self.downsample is None else self.downsample(x)
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(y)) + skip)


class ResNet18(nn.Module):
    def __init__(self, channels, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        stages, cin = [], width
        for i, stride in enumerate([1, 2, 2, 2]):
            cout = width * 2 ** i
            stages.append(nn.Sequential(Block(cin, cout, stride), Block(cout, cout, 1)))
            cin = cout
        self.layers = nn.Sequential(*stages)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        return F.adaptive_avg_pool2d(self.layers(x), 1).flatten(1)


class Concat(nn.Module):
    def __init__(self, classes=6):
        super().__init__()
        self.audio = ResNet18(1)
        self.visual = ResNet18(3)
        self.fc = nn.Linear(1024, classes)

    def forward(self, audio, visual):
        return self.fc(torch.cat([self.audio(audio), self.visual(visual)], 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Concat().train()
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
    audio = torch.randn(a.batch, 1, 257, 188)
    visual = torch.randn(a.batch, 3, 224, 224)
    labels = torch.randint(0, 6, (a.batch,))

    def step():
        opt.zero_grad()
        F.cross_entropy(model(audio, visual), labels).backward()
        opt.step()

    for _ in range(a.warmup):
        step()
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps({"samples_per_second": a.batch * a.steps / seconds, "seconds_per_step": seconds / a.steps,
                      "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled}))


if __name__ == "__main__":
    main()
