/**
 * The ops with more than one implementation (ConvReLU, batch normalisation, convolution,
 * activations, pooling, linear layers, the SGD update, the one-hot convolution), their interfaces,
 * and {@link org.convrelu.tensor.ops.Backends}, the one place that chooses an implementation per
 * call. Each implementation has its package: {@code reference} (the float64 spec), {@code patches},
 * {@code nd4j} and {@code cpu}.
 */
package org.convrelu.tensor.ops;
