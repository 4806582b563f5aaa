/**
 * The tables and figures of Gao, Cai, Ji, "Adaptive Convolutional ReLUs" (AAAI 2020), trained and
 * reported. Its packages depend one way, in the order a table is made:
 * {@code recipe} (what trains a cell) ← {@code paper} (the tables as data) ← {@code run} (training
 * and storing cells) ← {@code report} (tables and figures from the cells) ← {@code cli}; beside them
 * {@code cluster} (Slurm arrays of cells) and {@code bench} (benchmarks against ND4J and PyTorch).
 * Depends on {@code nn}, {@code datasets} and {@code reports}.
 */
package org.convrelu.experiments;
