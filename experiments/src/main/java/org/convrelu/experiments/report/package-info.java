/**
 * Tables and figures made from the cells: each table's entries trained or read from the store, the
 * seed-paired comparisons, the figures and the index of the reports.
 */
package org.convrelu.experiments.report;
