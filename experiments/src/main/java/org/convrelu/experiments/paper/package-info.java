/**
 * The paper's tables as data: their rows, columns, the cell behind each entry and the comparisons the
 * paper claims. Nothing here trains or reports.
 */
package org.convrelu.experiments.paper;
