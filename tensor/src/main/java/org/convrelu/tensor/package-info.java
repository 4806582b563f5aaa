/**
 * Math on ND4J for the suite: the dtype policy ({@link org.convrelu.tensor.Precision}), seeded random
 * streams, convolution geometry and batches. The ops with several implementations are in
 * {@code ops}, chosen per call by {@link org.convrelu.tensor.ops.Backends}; the memory they work in is
 * in {@code memory}.
 */
package org.convrelu.tensor;
