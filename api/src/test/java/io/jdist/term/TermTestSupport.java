package io.jdist.term;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Helpers shared by the codec and term model tests. */
final class TermTestSupport {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private TermTestSupport() {
    }

    /** The bytes of a hex string; spaces are ignored so that vectors can be grouped by field. */
    static byte[] hex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** {@code hex} repeated {@code times} times. */
    static String repeat(String hex, int times) {
        return hex.replace(" ", "").repeat(times);
    }

    static Term decode(String hex) {
        return TermDecoder.standard().decode(hex(hex));
    }

    static String encode(Term term) {
        return hex(TermEncoder.standard().encode(term));
    }

    /** Concatenates byte arrays and single bytes (given as ints) into one array. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof byte[] array) {
                out.writeBytes(array);
            } else if (part instanceof Integer b) {
                out.write(b);
            } else if (part instanceof String text) {
                out.writeBytes(hex(text));
            } else {
                throw new IllegalArgumentException(String.valueOf(part));
            }
        }
        return out.toByteArray();
    }

    static byte[] u32(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    static byte[] u16(int value) {
        return new byte[] {(byte) (value >>> 8), (byte) value};
    }

    /**
     * Decodes {@code input} expecting a {@link TermDecodeException}, and checks where it says the
     * problem is. Any other outcome, a term or another throwable, fails the test.
     */
    static TermDecodeException assertRefused(TermDecoder decoder, byte[] input, int offset, int tag,
            String messagePart) {
        TermDecodeException e = assertRefused(decoder, input);
        assertEquals(offset, e.offset(), () -> "offset in: " + e.getMessage());
        assertEquals(tag, e.tag(), () -> "tag in: " + e.getMessage());
        assertTrue(e.getMessage().contains(messagePart),
                () -> "expected the message to mention \"" + messagePart + "\" but was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("at offset " + offset), e::getMessage);
        return e;
    }

    static TermDecodeException assertRefused(byte[] input, int offset, int tag, String messagePart) {
        return assertRefused(TermDecoder.standard(), input, offset, tag, messagePart);
    }

    /** Decodes {@code input} expecting a {@link TermDecodeException}, whatever it says. */
    static TermDecodeException assertRefused(TermDecoder decoder, byte[] input) {
        Term term;
        try {
            term = decoder.decode(input);
        } catch (TermDecodeException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected a TermDecodeException but got " + t, t);
        }
        throw new AssertionError("expected a TermDecodeException but decoded " + abbreviate(term));
    }

    static TermDecodeException assertRefused(byte[] input) {
        return assertRefused(TermDecoder.standard(), input);
    }

    static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /**
     * Runs {@code task} on a new thread with {@code stackBytes} of stack and waits at most
     * {@code timeout} for it. Whatever the task throws is rethrown here, errors such as {@link
     * StackOverflowError} included, so that the caller can assert on them. On timeout the thread is
     * stopped (where the JVM still allows it) so that it does not burn CPU under later tests.
     */
    static <T> T onThread(long stackBytes, Duration timeout, Callable<T> task) throws Throwable {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "small-stack", stackBytes);
        thread.setDaemon(true);
        long started = System.nanoTime();
        thread.start();
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            stop(thread);
            fail("still running after " + timeout.toMillis() + " ms (started "
                    + (System.nanoTime() - started) / 1_000_000 + " ms ago)");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread thread) {
        thread.interrupt();
        try {
            thread.stop();
        } catch (UnsupportedOperationException e) {
            // Java 20 and later: the daemon thread runs on until the test JVM exits.
        }
    }
}
