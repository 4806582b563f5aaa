#!/usr/bin/env python3
"""Candidate recipes for the reduced-scale MR char-CNN, trained with PyTorch on one held-out fold.

A measurement behind the choice of the reduced MR recipe (docs/scales.md), not part of any table:
the suite's own cells are the results. Reads rt-polarity.pos/.neg (latin-1) from the data
directory, lower-cases each sentence and quantises it as the suite does: Zhang et al.'s 70
characters one-hot, read in reverse, other characters all-zero, cut or zero-filled to --frame.
Fold k (1..10) holds out every sentence whose index in (negatives, then positives) is k-1 modulo
10. The network is Zhang et al.'s char-CNN (six valid temporal convs, kernels 7 7 3 3 3 3, max-pool
3 after convs 1, 2 and 6, FC-ReLU-dropout twice) with --features channels and --hidden FC units,
He-initialised, ReLU throughout. Prints one JSON line per epoch.

    /usr/bin/python3 peers/mr_candidates.py --epochs 30 --lr 0.01 --schedule halving
    /usr/bin/python3 peers/mr_candidates.py --epochs 30 --lr 0.05 --schedule triangle --batch 32
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

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-,;.!?:'\"/\\|_@#$%^&*~`+-=<>()[]{}"


def quantise(texts, frame):
    index = {c: i for i, c in enumerate(ALPHABET)}
    x = np.zeros((len(texts), len(ALPHABET), frame), dtype=np.float32)
    for n, t in enumerate(texts):
        for p, c in enumerate(reversed(t.lower()[-frame:] if len(t) > frame else t.lower())):
            if p >= frame:
                break
            i = index.get(c)
            if i is not None:
                x[n, i, p] = 1
    return torch.from_numpy(x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--features", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--frame", type=int, default=256)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01, help="the base (halving) or peak (triangle) learning rate")
    parser.add_argument("--schedule", choices=["halving", "triangle"], default="halving",
                        help="halving: Crepe's, halved every 3 epochs; triangle: 0 → lr over the first 20%% of steps → 0")
    parser.add_argument("--decay", type=float, default=1e-5)
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--batch-norm", action="store_true", help="batch norm after every conv (not in Zhang et al.'s network)")
    parser.add_argument("--input-scale", type=float, default=1.0,
                        help="multiplies the one-hot input; sqrt(70) gives each character channel unit mean square over a full frame")
    parser.add_argument("--global-pool", action="store_true",
                        help="the last max-pool takes the maximum over all positions (not in Zhang et al.'s network)")
    parser.add_argument("--fold", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../../../shared/data"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    folder = os.path.join(args.data, "mr")
    texts, labels = [], []
    for label, name in enumerate(["rt-polarity.neg", "rt-polarity.pos"]):
        path = next(p for p in (os.path.join(folder, name), os.path.join(folder, "rt-polaritydata", name)) if os.path.exists(p))
        with open(path, encoding="latin-1") as f:
            lines = [line.rstrip("\n") for line in f]
        texts += lines
        labels += [label] * len(lines)
    held = np.arange(len(texts)) % 10 == args.fold - 1
    x = quantise(texts, args.frame) * args.input_scale
    y = torch.tensor(labels)
    xtr, ytr, xte, yte = x[~held], y[~held], x[held], y[held]

    model, _, _ = models.char_cnn(nn, len(ALPHABET), args.features, args.hidden, 2, args.frame, batch_norm=args.batch_norm,
                                  global_pool=args.global_pool, dropout=args.dropout, conv_bias=True, he_init=True)
    opt = (torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=args.decay) if args.optimizer == "sgd"
           else torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.decay))
    steps_per_epoch = (len(xtr) + args.batch - 1) // args.batch
    total = args.epochs * steps_per_epoch
    step = 0
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(xtr))
        loss_sum, correct = 0.0, 0
        for i in range(0, len(xtr), args.batch):
            if args.schedule == "halving":
                lr = args.lr * 0.5 ** min(10, epoch // 3)
            else:
                up = 0.2 * total
                lr = args.lr * (step / up if step < up else (total - step) / (total - up))
            for g in opt.param_groups:
                g["lr"] = lr
            idx = order[i:i + args.batch]
            out = model(xtr[idx])
            loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            right = sum((model(xte[i:i + 500]).argmax(1) == yte[i:i + 500]).sum().item() for i in range(0, len(xte), 500))
        print(json.dumps({"epoch": epoch + 1, "features": args.features, "hidden": args.hidden, "batch": args.batch,
                          "optimizer": args.optimizer, "dropout": args.dropout, "batch_norm": args.batch_norm, "global_pool": args.global_pool,
                          "schedule": args.schedule, "input_scale": args.input_scale, "lr": round(lr, 6), "train_loss": round(loss_sum / len(xtr), 4),
                          "train_top1": round(100 * correct / len(xtr), 2), "test_top1": round(100 * right / len(xte), 2),
                          "minutes": round((time.time() - t0) / 60, 2)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
