/**
 * ND4J ops only (im2col/col2im, broadcast max, GEMM, native conv and pool): the arrays never leave
 * ND4J, so they stay on a GPU.
 */
package org.convrelu.tensor.ops.nd4j;
