/**
 * The memory the kernels work in: per-step workspaces, reusable scratch buffers, heap copies of
 * ND4J arrays and native heap accounting.
 */
package org.convrelu.tensor.memory;
