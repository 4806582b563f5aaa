package org.convrelu.nn.train;

/**
 * Activity of one activation site over an evaluation set, the two quantities the paper argues
 * with but does not report (§ "Activation Functions in Deep Multi-Layer Networks"):
 * {@code deadFraction}, the fraction of units (channel × position) that are in their "off" regime
 * for every input, and {@code offFraction}, the fraction of all unit activations in that regime
 * (for a ReLU, exactly its output sparsity). A unit is off where its input is at or below its
 * threshold: 0 for ReLU, LeakyReLU and PReLU, θ for AdaReLU, and the smallest of its thresholds
 * over kernel positions for ConvReLU (it passes no gradient to the input at any position).
 */
public record SiteStats(String layer, String kind, long units, double deadFraction, double offFraction) {}
