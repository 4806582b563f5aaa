package org.convrelu.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrelu.nn.Param;
import org.convrelu.nn.ParamRole;
import org.convrelu.tensor.ops.Backends;
import org.convrelu.tensor.ops.Implementation;
import org.convrelu.tensor.ops.cpu.DirectSgd;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum (optionally Nesterov) and L2 weight decay set per
 * parameter role, in the PyTorch convention:
 * <pre>  g = ∇ + λ_role·w;  v = μ·v + g;  w −= lr · (nesterov ? g + μ·v : v)</pre>
 * The L2 coefficient on ConvReLU thresholds (role {@link ParamRole#THRESHOLD}) is set on its own.
 */
public final class Sgd {
    /** Momentum μ, Nesterov or not, and λ per role (roles not listed get 0). */
    public record Config(double momentum, boolean nesterov, Map<ParamRole, Double> weightDecay) {
        public Config {
            if (momentum < 0 || momentum >= 1) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            weightDecay = Map.copyOf(weightDecay);
        }

        /**
         * Momentum 0.9 and weight decay 5e-4 on weights and thresholds, as the CIFAR DenseNet code
         * (the paper states neither).
         */
        public static Config cifarDenseNet() {
            return new Config(0.9, false, Map.of(ParamRole.WEIGHT, 5e-4, ParamRole.THRESHOLD, 5e-4));
        }

        public double decay(ParamRole role) {
            return weightDecay.getOrDefault(role, 0.0);
        }
    }

    private final List<Param> params;
    private final Config config;
    private final Map<String, INDArray> velocity = new LinkedHashMap<>();

    public Sgd(List<Param> params, Config config) {
        this.params = List.copyOf(params);
        this.config = config;
        for (Param p : params) {
            if (velocity.put(p.name(), p.value().ulike().assign(0)) != null) {
                throw new IllegalArgumentException("two parameters are named " + p.name());
            }
        }
    }

    /**
     * One update with learning rate {@code lr}; gradients are left as they are (call {@link #zeroGrad()}).
     * Each parameter is updated in one pass on the CPU ({@link DirectSgd}) where that applies, else
     * with ND4J ops: the same arithmetic in the same order.
     */
    public void step(double lr) {
        for (Param p : params) {
            INDArray v = velocity.get(p.name());
            double decay = config.decay(p.role());
            if (Backends.sgd(p.value(), p.grad(), v) == Implementation.DIRECT) {
                DirectSgd.step(p.value(), p.grad(), v, lr, config.momentum(), decay, config.nesterov());
            } else {
                stepWithOps(p.value(), p.grad(), v, lr, config.momentum(), decay, config.nesterov());
            }
        }
    }

    /** {@link DirectSgd#step}'s update as ND4J ops, for any device and dtype. */
    static void stepWithOps(INDArray value, INDArray grad, INDArray velocity, double lr, double momentum, double decay,
            boolean nesterov) {
        INDArray g = grad.dup();
        if (decay != 0) {
            g.addi(value.mul(decay));
        }
        velocity.muli(momentum).addi(g);
        INDArray update = nesterov ? g.addi(velocity.mul(momentum)) : velocity;
        value.subi(update.mul(lr));
    }

    public void zeroGrad() {
        params.forEach(Param::zeroGrad);
    }

    /** Momentum buffers by parameter name (for checkpoints). */
    public Map<String, INDArray> velocity() {
        return velocity;
    }

    public Config config() {
        return config;
    }
}
