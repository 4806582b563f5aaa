/**
 * Fused CPU kernels written with the Vector API, choosing their vector width at run time: ConvReLU
 * (layout, forward, backward and the GEMM micro-kernels), batch normalisation, activations, pools,
 * linear layers, the SGD update and the one-hot convolution.
 */
package org.convrelu.tensor.ops.cpu;
