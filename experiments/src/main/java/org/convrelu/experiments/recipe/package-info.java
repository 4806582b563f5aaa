/**
 * What trains a cell: the data, network, activation, optimiser, schedule and budget of one run as a
 * typed {@link org.convrelu.experiments.recipe.Recipe}, each value marked as the paper's or ours, and
 * the {@link org.convrelu.experiments.recipe.Cell} that keys it in the results store.
 */
package org.convrelu.experiments.recipe;
