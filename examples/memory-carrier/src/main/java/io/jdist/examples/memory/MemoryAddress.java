package io.jdist.examples.memory;

import java.net.SocketAddress;
import java.util.Objects;

/** Where a {@code memory} carrier listens: a name, unique in the JVM. A node listens at its own name. */
public final class MemoryAddress extends SocketAddress {

    private static final long serialVersionUID = 1L;

    private final String name;

    private MemoryAddress(String name) {
        this.name = name;
    }

    /** The address named {@code name}. */
    public static MemoryAddress of(String name) {
        if (Objects.requireNonNull(name, "name").isEmpty()) {
            throw new IllegalArgumentException("a memory address needs a name");
        }
        return new MemoryAddress(name);
    }

    /** The address's name. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryAddress other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "memory:" + name;
    }
}
