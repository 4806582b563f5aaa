/**
 * Loaders for the paper's six datasets (CIFAR-10/100, Tiny ImageNet, MR, AG's News, Yelp Full),
 * augmentation, text normalisation, character quantisation and batching. Depends on {@code tensor} only.
 */
package org.convrelu.datasets;
