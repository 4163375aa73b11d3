/**
 * The node shell behind {@code jdist node}: commands parsed and run apart from any terminal ({@link
 * io.jdist.cli.shell.Shell}), a line-by-line front end for scripts and a JLine front end for people.
 */
package io.jdist.cli.shell;
