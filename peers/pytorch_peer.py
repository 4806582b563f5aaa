#!/usr/bin/env python3
"""PyTorch peer of `suite bench`: the same layers and training steps on the CPU, same thread count.

Runs, in float32 on the CPU:
  * forward+backward of F.conv2d / F.conv1d at the shapes of the per-layer benchmarks
    (dx, dW and, where the layer has one, db), and PyTorch's natural ConvReLU
    (unfold + maximum + matmul under autograd) at densenet_cifar's 3x3 shape;
  * one training step (forward, cross-entropy, backward, SGD with momentum 0.9 and weight
    decay 5e-4) of densenet_cifar (DenseNet-BC, blocks 6-12-24-16, growth 12, compression 0.5,
    100 classes, 32x32), of the narrow DenseNet-BC of smoke runs (blocks 2-2-2-2, growth 6,
    10 classes), of the DenseNet-BC of reduced CIFAR cells (blocks 3-3-3, growth 12, a 2x2
    average pool after the stem, 10 classes), of the small char-CNN (Zhang et al. 2015, 256
    features, frame 1014, 70 characters, 4 classes) and of the char-CNN of reduced MR cells
    (64 features, batch norm after every conv, a max over all positions, FC 256, frame 256,
    2 classes), all with ReLU, batch 64, as the suite builds them; the char-CNNs' batches are random
    characters, one-hot as the suite's quantiser writes text.

Prints one JSON object on stdout: torch version, threads, the BLAS library loaded into the
process, the medians in milliseconds, and the process's peak resident memory. Exit status 3
with an "error" field when PyTorch cannot be imported. With --serve it answers requests on stdin
instead (see serve()); `suite bench` uses that to interleave PyTorch's training steps with its own.

    python3 peers/pytorch_peer.py --threads 2 --repeats 10
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402

LAYERS = [
    # (benchmark, input shape, out channels, kernel, padding, bias): as `suite bench` names them
    ("densenet block 1, 1×1 forward+backward", (64, 24, 32, 32), 48, 1, 0, False),
    ("densenet block 1, 1×1 forward+backward", (64, 36, 32, 32), 48, 1, 0, False),
    ("densenet block 1, 1×1 forward+backward", (64, 48, 32, 32), 48, 1, 0, False),
    ("densenet block 1, 1×1 forward+backward", (64, 60, 32, 32), 48, 1, 0, False),
    ("densenet block 1, 1×1 forward+backward", (64, 72, 32, 32), 48, 1, 0, False),
    ("densenet block 1, 1×1 forward+backward", (64, 84, 32, 32), 48, 1, 0, False),
    ("densenet block 1, 3×3 forward+backward", (64, 48, 32, 32), 12, 3, 1, False),
    ("char-CNN conv1 forward+backward", (64, 70, 1014), 256, 7, 0, True),
    ("char-CNN conv2 forward+backward", (64, 256, 336), 256, 7, 0, True),
]


def shape_text(shape, out, k, pad):
    return "[%s] → %d, k=%d, pad=%d" % (", ".join(str(s) for s in shape), out, k, pad)


def median_ms(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return statistics.median(times)


def loaded_blas():
    """The BLAS/LAPACK shared objects mapped into this process (after a matmul has run)."""
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                name = os.path.basename(path)
                if any(tag in name for tag in ("blas", "mkl", "lapack", "blis")):
                    real = os.path.realpath(path)
                    libs.add(name if real == path else "%s -> %s" % (name, real))
    except OSError:
        pass
    return sorted(libs)


def build_densenet(torch, nn, blocks=(6, 12, 24, 16), growth=12, classes=100, stem_pool=False):
    return models.densenet(torch, nn, blocks, growth, classes, stem_pool)


def build_char_cnn(nn, features=256, hidden=1024, classes=4, frame=1014, normalised=False):
    """Zhang et al.'s char-CNN; `normalised`: batch norm after every conv (no conv bias) and a max over all positions."""
    return models.char_cnn(nn, 70, features, hidden, classes, frame, batch_norm=normalised, global_pool=normalised)


def layer_rows(torch, F, quick, repeats):
    """Forward+backward of F.conv2d / F.conv1d at the per-layer shapes, and PyTorch's natural ConvReLU."""
    rows = []
    layers = LAYERS if not quick else [LAYERS[5], LAYERS[6], LAYERS[7], LAYERS[8]]
    for name, shape, out, k, pad, bias in layers:
        conv = F.conv2d if len(shape) == 4 else F.conv1d
        x = torch.randn(*shape, requires_grad=True)
        w = (torch.randn(out, shape[1], *([k] * (len(shape) - 2))) * 0.05).requires_grad_()
        b = torch.zeros(out, requires_grad=True) if bias else None
        dy = torch.randn(conv(x, w, b, padding=pad).shape)

        def step():
            x.grad = w.grad = None
            if b is not None:
                b.grad = None
            conv(x, w, b, padding=pad).backward(dy)

        rows.append({"benchmark": name, "shape": shape_text(shape, out, k, pad), "what": "F.conv%dd" % (len(shape) - 2),
                     "ms": median_ms(step, repeats)})

    # PyTorch's natural ConvReLU at the 3x3 shape: unfold, maximum with the thresholds, matmul.
    n, c, h, wd = 64, 48, 32, 32
    x = torch.randn(n, c, h, wd, requires_grad=True)
    w = (torch.randn(12, c * 9) * 0.05).requires_grad_()
    theta = torch.zeros(c * 9, 1, requires_grad=True)

    def conv_relu_step():
        x.grad = w.grad = theta.grad = None
        cols = F.unfold(x, 3, padding=1)  # [N, C·9, H·W]; padded entries are 0 before the maximum
        y = w @ torch.maximum(cols, theta)
        y.sum().backward()

    rows.append({"benchmark": "densenet block 1, 3×3 forward+backward", "shape": shape_text((n, c, h, wd), 12, 3, 1),
                 "what": "ConvReLU as unfold + maximum + matmul", "ms": median_ms(conv_relu_step, max(3, repeats // 3), 1)})
    return rows


def networks(torch, nn, quick):
    """The ReLU networks of `suite bench`'s training steps: benchmark name -> (unit, builder)."""
    nets = {"densenet_cifar training step": ("images", lambda: build_densenet(torch, nn)),
            "DenseNet-BC [2,2,2,2] growth 6 training step": ("images", lambda: build_densenet(torch, nn, (2, 2, 2, 2), 6, 10)),
            "reduced CIFAR-10 DenseNet-BC [3,3,3] growth 12 training step": (
                "images", lambda: build_densenet(torch, nn, (3, 3, 3), 12, 10, stem_pool=True))}
    if not quick:
        nets["char-CNN small training step, frame 1014"] = ("documents", lambda: build_char_cnn(nn))
    nets["reduced MR char-CNN training step, frame 256"] = (
        "documents", lambda: build_char_cnn(nn, features=64, hidden=256, classes=2, frame=256, normalised=True))
    return nets


def training_step(torch, nn, F, build, batch):
    """One training step of a network: forward, cross-entropy, backward, SGD with momentum and weight decay."""
    model, in_shape, classes = build()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    if len(in_shape) == 2:  # text: random characters, one-hot as the suite's quantiser writes them
        x = F.one_hot(torch.randint(in_shape[0], (batch, in_shape[1])), in_shape[0]).transpose(1, 2).float().contiguous()
    else:
        x = torch.randn(batch, *in_shape)
    labels = torch.arange(batch) % classes

    def train_step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        opt.step()

    return train_step


def describe_process(torch):
    return {"torch": torch.__version__, "python": sys.version.split()[0], "threads": torch.get_num_threads(), "blas": loaded_blas()}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def serve(torch, nn, F, args):
    """Answers one JSON request per line on stdin with one JSON line on stdout, so that `suite bench` can
    interleave PyTorch's training steps with its own and compare them under the same load:

      {"layers": true}                     -> {"rows": [...]}            the per-layer rows
      {"step": "<benchmark>", "count": n}  -> {"ms": [t1, ..., tn]}     n training steps of that network
      {"quit": true}                       -> {"peak_rss_mb": m}         then exits

    The first line written is the process description; an unknown request gets {"error": ...}.
    """
    nets = networks(torch, nn, args.quick)
    steps = {}

    def reply(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    reply(describe_process(torch))
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except ValueError as e:
            reply({"error": "not a JSON request: %s" % e})
            continue
        if request.get("quit"):
            reply({"peak_rss_mb": peak_rss_mb()})
            return 0
        if request.get("layers"):
            reply({"rows": layer_rows(torch, F, args.quick, args.repeats)})
        elif "step" in request:
            name = request["step"]
            if name not in nets:
                reply({"error": "no network named %r; the peer has %s" % (name, ", ".join(nets))})
                continue
            if name not in steps:
                steps[name] = training_step(torch, nn, F, nets[name][1], args.batch)
            times = []
            for _ in range(int(request.get("count", 1))):
                t0 = time.perf_counter()
                steps[name]()
                times.append((time.perf_counter() - t0) * 1000.0)
            reply({"ms": times})
        else:
            reply({"error": "unknown request %s" % line.strip()})
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--quick", action="store_true", help="one shape per layer kind, no step of the small char-CNN")
    parser.add_argument("--serve", action="store_true", help="answer requests on stdin, one JSON line each (see serve())")
    args = parser.parse_args()
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except ImportError as e:
        print(json.dumps({"error": "PyTorch is not importable by %s: %s" % (sys.executable, e)}), flush=True)
        return 3

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS before it is named
    if args.serve:
        return serve(torch, nn, F, args)

    rows = layer_rows(torch, F, args.quick, args.repeats)
    for name, (unit, build) in networks(torch, nn, args.quick).items():
        ms = median_ms(training_step(torch, nn, F, build, args.batch), max(3, args.repeats // 2), 1)
        rows.append({"benchmark": name, "shape": "batch %d" % args.batch, "what": "ReLU network", "ms": ms,
                     "per_second": args.batch * 1000.0 / ms, "unit": unit})
    print(json.dumps(dict(describe_process(torch), peak_rss_mb=peak_rss_mb(), rows=rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
