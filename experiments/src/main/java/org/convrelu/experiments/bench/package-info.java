/**
 * Benchmarks: layers and training steps against ND4J's own ops and a PyTorch peer, memory per cell,
 * the device check, and the performance report they write.
 */
package org.convrelu.experiments.bench;
