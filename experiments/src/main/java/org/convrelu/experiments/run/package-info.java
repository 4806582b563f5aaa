/**
 * Training and storing cells: the runner and its results store, the lock that lets workers share a
 * store, the status of a cell, the data each cell trains on and the provenance of what it trained.
 */
package org.convrelu.experiments.run;
