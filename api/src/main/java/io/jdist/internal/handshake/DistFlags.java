package io.jdist.internal.handshake;

import java.util.ArrayList;
import java.util.List;

/**
 * The distribution capability flags ({@code DFLAG_*}) as OTP 25 defines them. Nodes advertise a set
 * in the handshake and both encode with the intersection.
 */
public final class DistFlags {

    public static final long PUBLISHED = 0x1L;
    public static final long ATOM_CACHE = 0x2L;
    public static final long EXTENDED_REFERENCES = 0x4L;
    public static final long DIST_MONITOR = 0x8L;
    public static final long FUN_TAGS = 0x10L;
    public static final long DIST_MONITOR_NAME = 0x20L;
    public static final long HIDDEN_ATOM_CACHE = 0x40L;
    public static final long NEW_FUN_TAGS = 0x80L;
    public static final long EXTENDED_PIDS_PORTS = 0x100L;
    public static final long EXPORT_PTR_TAG = 0x200L;
    public static final long BIT_BINARIES = 0x400L;
    public static final long NEW_FLOATS = 0x800L;
    public static final long UNICODE_IO = 0x1000L;
    public static final long DIST_HDR_ATOM_CACHE = 0x2000L;
    public static final long SMALL_ATOM_TAGS = 0x4000L;
    public static final long UTF8_ATOMS = 0x10000L;
    public static final long MAP_TAG = 0x20000L;
    public static final long BIG_CREATION = 0x40000L;
    public static final long SEND_SENDER = 0x80000L;
    public static final long BIG_SEQTRACE_LABELS = 0x100000L;
    public static final long EXIT_PAYLOAD = 0x400000L;
    public static final long FRAGMENTS = 0x800000L;
    public static final long HANDSHAKE_23 = 0x1000000L;
    public static final long UNLINK_ID = 0x2000000L;
    /** "I support every OTP 25 mandatory flag"; bit 26, although OTP's documentation says bit 36. */
    public static final long MANDATORY_25_DIGEST = 0x4000000L;
    public static final long SPAWN = 0x1_0000_0000L;
    public static final long NAME_ME = 0x2_0000_0000L;
    public static final long V4_NC = 0x4_0000_0000L;
    public static final long ALIAS = 0x8_0000_0000L;

    /** What OTP 25 requires of every peer. */
    public static final long MANDATORY_25 = EXTENDED_REFERENCES | FUN_TAGS | NEW_FUN_TAGS
            | EXTENDED_PIDS_PORTS | EXPORT_PTR_TAG | BIT_BINARIES | NEW_FLOATS | UTF8_ATOMS | MAP_TAG
            | BIG_CREATION | HANDSHAKE_23;

    /** What OTP 26 requires of every peer: OTP 25's set, the new link protocol and V4 identifiers. */
    public static final long MANDATORY_26 = MANDATORY_25 | UNLINK_ID | V4_NC;

    private static final String[] NAMES = {
        "PUBLISHED", "ATOM_CACHE", "EXTENDED_REFERENCES", "DIST_MONITOR", "FUN_TAGS",
        "DIST_MONITOR_NAME", "HIDDEN_ATOM_CACHE", "NEW_FUN_TAGS", "EXTENDED_PIDS_PORTS",
        "EXPORT_PTR_TAG", "BIT_BINARIES", "NEW_FLOATS", "UNICODE_IO", "DIST_HDR_ATOM_CACHE",
        "SMALL_ATOM_TAGS", "ETS_COMPRESSED", "UTF8_ATOMS", "MAP_TAG", "BIG_CREATION", "SEND_SENDER",
        "BIG_SEQTRACE_LABELS", "PENDING_CONNECT", "EXIT_PAYLOAD", "FRAGMENTS", "HANDSHAKE_23",
        "UNLINK_ID", "MANDATORY_25_DIGEST", "RESERVED_27", "RESERVED_28", "RESERVED_29",
        "RESERVED_30", "RESERVED_31", "SPAWN", "NAME_ME", "V4_NC", "ALIAS", "LOCAL_EXT",
    };

    private DistFlags() {
    }

    /**
     * The flags a peer effectively offers: OTP 25 and later read MANDATORY_25_DIGEST as every
     * OTP 25 mandatory flag.
     */
    public static long expand(long flags) {
        return (flags & MANDATORY_25_DIGEST) != 0 ? flags | MANDATORY_25 : flags;
    }

    /** The names of the flags in {@code required} that {@code offered} lacks, for error messages. */
    public static List<String> missing(long offered, long required) {
        return names(required & ~expand(offered));
    }

    /** The names of the set bits, in bit order; unnamed bits as {@code BIT_n}. */
    public static List<String> names(long flags) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((flags & (1L << bit)) != 0) {
                names.add(bit < NAMES.length ? NAMES[bit] : "BIT_" + bit);
            }
        }
        return names;
    }
}
