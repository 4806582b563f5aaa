/**
 * The spec: float64 loops written from the definitions (eq. 4–8 of Gao, Cai, Ji 2020), slow and
 * obvious, that every faster implementation is tested against.
 */
package org.convrelu.tensor.ops.reference;
