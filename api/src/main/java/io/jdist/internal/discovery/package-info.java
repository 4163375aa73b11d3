/** The discoveries jdist ships: EPMD, with an embedded server when none runs, and a fixed port. */
package io.jdist.internal.discovery;
