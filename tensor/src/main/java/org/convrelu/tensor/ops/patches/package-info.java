/**
 * Patch extraction (im2col/col2im, 1D/2D/3D, stride, padding, dilation) in Java loops over heap
 * copies, fused with ConvReLU's threshold-max, then ND4J's GEMM: any dtype and geometry, on the CPU.
 */
package org.convrelu.tensor.ops.patches;
