/**
 * Erlang terms as immutable Java values, their External Term Format codec ({@link
 * io.jdist.term.TermEncoder}, {@link io.jdist.term.TermDecoder}) and a parser for Erlang term
 * syntax ({@link io.jdist.term.TermParser}).
 */
package io.jdist.term;
