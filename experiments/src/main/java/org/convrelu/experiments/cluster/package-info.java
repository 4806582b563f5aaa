/**
 * A table's cells spread over a Slurm cluster: the grid of cells, the array job that trains them and
 * the estimate of the hours left.
 */
package org.convrelu.experiments.cluster;
