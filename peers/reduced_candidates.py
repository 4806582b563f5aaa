#!/usr/bin/env python3
"""Candidate networks for the reduced scale, trained on CIFAR-10 by the PyTorch peer: test top-1 per epoch.

A measurement behind the choice of the reduced-scale DenseNet-BC (docs/scales.md), not part of any
table: the suite's own cells are the results. Reads CIFAR-10's binary batches from the data
directory, normalises per channel with the training set's statistics, and trains with the reduced
recipe's shape: SGD with momentum 0.9 and weight decay 5e-4 on the conv and linear weights, batch 128,
random crop with 4-pixel zero padding (an offset per image) and horizontal flip. The schedule is the paper's step schedule (lr 0.1
×0.1 at its epochs 150 and 250 of 300, scaled to the run's epochs) or, with --schedule triangle, a
learning rate that rises linearly from 0 to --peak over the first --warmup epochs and falls linearly
to 0 at the last step. Prints one JSON line per epoch.

    /usr/bin/python3 peers/reduced_candidates.py g12s3 8 --threads 1
    /usr/bin/python3 peers/reduced_candidates.py g12s3 8 --schedule triangle --peak 0.2 --warmup 1.5
    /usr/bin/python3 peers/reduced_candidates.py resnet18_w8 11 --schedule triangle --peak 0.2 --warmup 1.5 --threads 1
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402

CANDIDATES = {
    # DenseNet-BC
    "g6": lambda: models.densenet(torch, nn, (2, 2, 2, 2), 6, 10),  # the smoke network
    "g12s3": lambda: models.densenet(torch, nn, (3, 3, 3), 12, 10, stem_pool=True),  # the reduced network of Tables 1, 4, 5
    "g12s222": lambda: models.densenet(torch, nn, (2, 2, 2), 12, 10, stem_pool=True),
    # Table 3's VGG-16 and ResNet-18 at a width divisor
    "vgg16_w8": lambda: models.vgg16(torch, nn, 8),
    "vgg16_w6": lambda: models.vgg16(torch, nn, 6),
    "vgg16_w4": lambda: models.vgg16(torch, nn, 4),
    "resnet18_w8": lambda: models.resnet18(torch, nn, 8),
    "resnet18_w4": lambda: models.resnet18(torch, nn, 4),
    "resnet18_w4_stempool": lambda: models.resnet18(torch, nn, 4, stem_pool=True),
}


def build(name):
    model, _, _ = CANDIDATES[name]()
    return model


def load(root, files):
    raw = np.concatenate([np.fromfile(os.path.join(root, f), dtype=np.uint8).reshape(-1, 3073) for f in files])
    return raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255, raw[:, 0].astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("network", choices=sorted(CANDIDATES))
    parser.add_argument("epochs", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--schedule", choices=["step", "triangle"], default="step")
    parser.add_argument("--peak", type=float, default=0.1, help="the triangle's highest learning rate")
    parser.add_argument("--warmup", type=float, default=1.5, help="epochs to the triangle's peak")
    parser.add_argument("--label-smoothing", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--decay-all", action="store_true",
                        help="weight decay on every parameter, biases and batch norm too (the DenseNet candidates' first runs)")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    root = os.path.join(args.data, "cifar10", "cifar-10-batches-bin")
    xtr, ytr = load(root, ["data_batch_%d.bin" % i for i in range(1, 6)])
    xte, yte = load(root, ["test_batch.bin"])
    mean, std = xtr.mean((0, 2, 3), keepdims=True), xtr.std((0, 2, 3), keepdims=True)
    xtr, xte = torch.tensor((xtr - mean) / std), torch.tensor((xte - mean) / std)
    ytr, yte = torch.tensor(ytr), torch.tensor(yte)

    model = build(args.network)
    # weight decay on conv and linear weights only, as the suite's recipe (ParamRole.WEIGHT); not on biases or BN
    weights = [p for p in model.parameters() if p.dim() > 1 or args.decay_all]
    others = [p for p in model.parameters() if p.dim() <= 1 and not args.decay_all]
    opt = torch.optim.SGD([{"params": weights, "weight_decay": 5e-4}, {"params": others, "weight_decay": 0.0}], lr=0.1, momentum=0.9)
    batch = 128
    t0 = time.time()
    milestones = [round(args.epochs * 150 / 300), round(args.epochs * 250 / 300)]  # the paper's 150 and 250 of 300, as the suite scales them
    steps_per_epoch = (len(xtr) + batch - 1) // batch
    total = args.epochs * steps_per_epoch
    step = 0

    def rate(epoch):
        if args.schedule == "step":
            return 0.1 * 0.1 ** sum(epoch >= m for m in milestones)
        up = args.warmup * steps_per_epoch
        return args.peak * (step / up if step < up else (total - step) / (total - up))

    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(xtr))
        for i in range(0, len(xtr), batch):
            lr = rate(epoch)
            for g in opt.param_groups:
                g["lr"] = lr
            idx = order[i:i + batch]
            padded = F.pad(xtr[idx], (4, 4, 4, 4))
            offsets = np.random.randint(0, 9, (len(idx), 2))
            x = torch.stack([padded[j, :, dy:dy + 32, dx:dx + 32] for j, (dy, dx) in enumerate(offsets)])
            flip = torch.rand(len(x)) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), ytr[idx], label_smoothing=args.label_smoothing).backward()
            opt.step()
            step += 1
        model.eval()
        with torch.no_grad():
            correct = sum((model(xte[i:i + 500]).argmax(1) == yte[i:i + 500]).sum().item() for i in range(0, len(xte), 500))
        print(json.dumps({"network": args.network, "parameters": sum(p.numel() for p in model.parameters()), "schedule": args.schedule,
                          "peak": args.peak if args.schedule == "triangle" else None, "label_smoothing": args.label_smoothing,
                          "seed": args.seed, "epoch": epoch + 1, "lr": round(lr, 5), "test_top1": correct / 100, "minutes": round((time.time() - t0) / 60, 2)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
