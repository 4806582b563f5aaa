/** The {@code suite} command line: one subcommand per task, each with the options it uses. */
package org.convrelu.experiments.cli;
