package io.jdist.testing;

import io.jdist.term.Atom;
import io.jdist.term.Term;
import io.jdist.term.TermDecoder;
import io.jdist.term.TermEncoder;
import io.jdist.term.Tuple;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JVM's end of an Erlang port: request/response over the stdin and stdout of an {@code erl}
 * running a port program, with 4-byte big-endian length-prefixed packets, as Erlang's
 * {@code open_port({fd, 0, 1}, [binary, {packet, 4}])} reads and writes them. Each request is one
 * packet and gets one packet back.
 *
 * <p>Every exchange has a deadline: if {@code erl} does not answer in time it is killed and the
 * call fails with an {@link AssertionError} carrying its stderr, so a hung {@code erl} fails the
 * test instead of hanging it.
 */
public final class ErlPort implements AutoCloseable {

    /** The deadline of an exchange unless one is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** A packet this large means stdout carried something other than packets. */
    private static final int MAX_PACKET = 512 * 1024 * 1024;

    /** Marks the end of stdout in {@link #packets}. */
    private static final byte[] END = new byte[0];

    private final ErlangProcess process;
    private final BlockingQueue<byte[]> packets = new LinkedBlockingQueue<>();
    private final ExecutorService writer;
    private volatile String readFailure;

    ErlPort(ErlangProcess process) {
        this.process = process;
        long pid = process.process().pid();
        this.writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "erl-port-writer-" + pid);
            thread.setDaemon(true);
            return thread;
        });
        Thread reader = new Thread(this::readPackets, "erl-port-reader-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    private void readPackets() {
        try (DataInputStream in = new DataInputStream(process.stdout())) {
            while (true) {
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException e) {
                    readFailure = "erl closed its stdout";
                    break;
                }
                if (length < 0 || length > MAX_PACKET) {
                    readFailure = "erl wrote a packet length of " + Integer.toUnsignedString(length)
                            + ": something other than the port program writes to stdout";
                    break;
                }
                byte[] packet = new byte[length];
                in.readFully(packet);
                packets.add(packet);
            }
        } catch (IOException e) {
            readFailure = "reading erl's stdout failed: " + e;
        }
        packets.add(END);
    }

    /** The {@code erl} process. */
    public ErlangProcess process() {
        return process;
    }

    /** Sends {@code packet} and returns the answer, within {@link #DEFAULT_TIMEOUT}. */
    public byte[] request(byte[] packet) {
        return request(packet, DEFAULT_TIMEOUT);
    }

    /**
     * Sends {@code packet} and returns the answering packet.
     *
     * @throws AssertionError if {@code erl} does not answer within {@code timeout} (it is then
     *     killed) or has stopped, with its stderr in the message
     */
    public synchronized byte[] request(byte[] packet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Future<?> write = writer.submit(() -> {
            OutputStream out = process.stdin();
            byte[] header = {(byte) (packet.length >>> 24), (byte) (packet.length >>> 16),
                (byte) (packet.length >>> 8), (byte) packet.length};
            out.write(header);
            out.write(packet);
            out.flush();
            return null;
        });
        try {
            write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            byte[] answer = packets.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (answer == null) {
                throw timedOut(timeout, "answer");
            }
            if (answer == END) {
                packets.add(END);
                throw new AssertionError("erl stopped answering: " + readFailure + "\n" + process.describe());
            }
            return answer;
        } catch (TimeoutException e) {
            write.cancel(true);
            throw timedOut(timeout, "to read the request");
        } catch (ExecutionException e) {
            throw new AssertionError("cannot write to erl: " + e.getCause() + "\n" + process.describe(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for erl", e);
        }
    }

    private AssertionError timedOut(Duration timeout, String what) {
        process.kill();
        return new AssertionError("erl took more than " + timeout.toMillis() + " ms " + what
                + "; killed it\n" + process.describe());
    }

    /**
     * Sends {@code request} encoded by {@link TermEncoder#standard()} and decodes the answer, which
     * the port program sends as {@code {ok, Reply}} or {@code {error, Text}}.
     *
     * @return the {@code Reply}
     * @throws AssertionError for an {@code {error, Text}} answer, with the text and erl's stderr
     */
    public Term call(Term request) {
        byte[] answer = request(TermEncoder.standard().encode(request));
        Term reply = TermDecoder.standard().decode(answer);
        if (reply instanceof Tuple tuple && tuple.arity() == 2) {
            if (tuple.get(0).equals(Atom.OK)) {
                return tuple.get(1);
            }
            if (tuple.get(0).equals(Atom.ERROR)) {
                throw new AssertionError("erl failed the request: " + errorText(tuple.get(1)) + "\n"
                        + process.describe());
            }
        }
        throw new AssertionError("unexpected answer from erl: " + reply);
    }

    private static String errorText(Term text) {
        return text instanceof io.jdist.term.Binary binary ? binary.utf8() : String.valueOf(text);
    }

    /** Stops {@code erl}: closes its stdin, on which the port program halts, then makes sure. */
    @Override
    public void close() {
        writer.shutdownNow();
        process.close();
    }
}
