/**
 * One class per table and figure of Gao, Cai, Ji (AAAI 2020), the cell runner and the command line.
 * Depends on {@code nn}, {@code datasets} and {@code reports}.
 */
package org.convrelu.experiments;
