/** Length-prefixed framing of the distribution byte stream, shared by every carrier. */
package io.jdist.internal.framing;
