package io.jdist.internal.dist;

import io.jdist.term.Int;
import io.jdist.term.Term;
import io.jdist.term.Tuple;

/**
 * One distribution message: a control tuple and, for operations that have one, a payload.
 *
 * @param control the control tuple, its first element the operation number
 * @param payload the message, exit reason or argument list; {@code null} when the operation has none
 */
public record DistMessage(Tuple control, Term payload) {

    /** The operation number. */
    public int op() {
        return (int) ((Int) control.get(0)).value();
    }
}
