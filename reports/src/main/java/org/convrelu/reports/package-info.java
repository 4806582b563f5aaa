/**
 * The paper's published numbers as data, comparisons across seeds, and the Markdown, CSV and
 * figure writers of {@code reports/results/}. Depends on no other module of the suite.
 */
package org.convrelu.reports;
