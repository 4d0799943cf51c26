package dev.akt;

import java.time.Duration;
import java.util.Objects;

/**
 * Every option of {@link ActorSystem#remoteStart(RemoteOptions)}: where the node listens and
 * how its connections behave (frame and message sizes, chunking, heartbeats, flow control,
 * the send buffer, compression, TLS, reverse proxies). Immutable; a value left unset (or 0)
 * is akt's default. A setter throws {@link IllegalArgumentException} for a value that is
 * negative or beyond its C field (32 bits unsigned); the core's own ranges are checked by
 * {@code remoteStart}, which throws {@link AktException} {@code AKT_EINVAL}.
 *
 * <pre>{@code
 * String address = system.remoteStart(RemoteOptions.builder()
 *         .chunkBytes(256).maxMessageBytes(8 << 20).maxReverseProxies(500).build());
 * }</pre>
 */
public final class RemoteOptions {
    private static final long U32 = 0xffffffffL;

    final String host;
    final int port;
    final long maxFrameBytes;
    final long heartbeatNanos;
    final long heartbeatMisses;
    final long sendWindow;
    final RemoteCompression compression;
    final long compressMinBytes;
    final long chunkBytes;
    final long maxMessageBytes;
    final long sendBufferBytes;
    final long maxReverseProxies;
    final RemoteTls tls;

    private RemoteOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.maxFrameBytes = b.maxFrameBytes;
        this.heartbeatNanos = b.heartbeatNanos;
        this.heartbeatMisses = b.heartbeatMisses;
        this.sendWindow = b.sendWindow;
        this.compression = b.compression;
        this.compressMinBytes = b.compressMinBytes;
        this.chunkBytes = b.chunkBytes;
        this.maxMessageBytes = b.maxMessageBytes;
        this.sendBufferBytes = b.sendBufferBytes;
        this.maxReverseProxies = b.maxReverseProxies;
        this.tls = b.tls;
    }

    /**
     * A builder with every option at its default: 127.0.0.1, an ephemeral port, 4 MiB
     * frames, 64 KiB chunks, 64 MiB messages and send buffer, heartbeats every second,
     * no compression, no TLS, 10000 reverse proxies.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A size option: 0..2^32-1. */
    private static long u32(String name, long value) {
        if (value < 0 || value > U32) {
            throw new IllegalArgumentException("akt: " + name + " must be 0.." + U32 + ", not "
                    + value);
        }
        return value;
    }

    /** Builds {@link RemoteOptions}; each setter returns the builder. */
    public static final class Builder {
        private String host;
        private int port;
        private long maxFrameBytes;
        private long heartbeatNanos;
        private long heartbeatMisses;
        private long sendWindow;
        private RemoteCompression compression = RemoteCompression.NONE;
        private long compressMinBytes;
        private long chunkBytes;
        private long maxMessageBytes;
        private long sendBufferBytes;
        private long maxReverseProxies;
        private RemoteTls tls;

        private Builder() {}

        /**
         * The IPv4 address to listen on.
         *
         * @param host the address, or null for 127.0.0.1
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * The port to listen on.
         *
         * @param port 1..65535, or 0 for an ephemeral one
         * @return this builder
         * @throws IllegalArgumentException for a port outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("akt: port must be 0..65535, not " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The largest frame accepted or sent (a larger one closes the connection); the
         * core wants at least 64.
         *
         * @param bytes the limit, 0 for 4 MiB
         * @return this builder
         * @throws IllegalArgumentException for a negative value or one over 2^32-1
         */
        public Builder maxFrameBytes(long bytes) {
            this.maxFrameBytes = u32("maxFrameBytes", bytes);
            return this;
        }

        /**
         * Heartbeats: both ends of a connection send a ping every {@code interval}, and a
         * connection that received nothing for more than {@code misses} intervals is lost
         * (its pending asks fail with {@code AKT_EUNREACHABLE}). The core wants an interval
         * of at most an hour and at most 1000 misses.
         *
         * @param interval the time between pings, null for 1 s, zero for no heartbeats
         * @param misses the silent intervals after which a connection is lost, 0 for 5
         * @return this builder
         * @throws IllegalArgumentException for a negative interval or negative misses
         */
        public Builder heartbeat(Duration interval, int misses) {
            if (misses < 0) throw new IllegalArgumentException("akt: negative heartbeat misses");
            this.heartbeatNanos = ActorSystem.heartbeatNanos(interval);
            this.heartbeatMisses = misses;
            return this;
        }

        /**
         * Flow control: the most messages told or asked to the actors of one other node and
         * not yet consumed there; beyond it a tell throws {@link MailboxFullException}. The
         * core wants at most 2^24.
         *
         * @param messages the window, 0 for 65536
         * @return this builder
         * @throws IllegalArgumentException for a negative value or one over 2^32-1
         */
        public Builder sendWindow(long messages) {
            this.sendWindow = u32("sendWindow", messages);
            return this;
        }

        /**
         * Frame compression: frames of at least {@code minBytes} to peers that accept
         * {@code method} go compressed with it.
         *
         * @param method the codec this node offers and uses ({@link RemoteCompression#NONE}:
         *     none, and compressed frames are refused)
         * @param minBytes the smallest frame body compressed, 0 for 512
         * @return this builder
         * @throws IllegalArgumentException for a negative minBytes or one over 2^32-1
         */
        public Builder compression(RemoteCompression method, long minBytes) {
            Objects.requireNonNull(method, "method");
            this.compressMinBytes = u32("compressMinBytes", minBytes);
            this.compression = method;
            return this;
        }

        /**
         * Chunking: a frame larger than this goes as chunks of at most this many bytes,
         * interleaved with the connection's other frames, so that a large message does not
         * hold back small ones. The core wants 256..maxFrameBytes.
         *
         * @param bytes the chunk size, 0 for 64 KiB (or maxFrameBytes if smaller)
         * @return this builder
         * @throws IllegalArgumentException for a negative value or one over 2^32-1
         */
        public Builder chunkBytes(long bytes) {
            this.chunkBytes = u32("chunkBytes", bytes);
            return this;
        }

        /**
         * The largest message, chunked: a larger one is refused on the sending node (a
         * dead letter with the reason; an ask fails with {@code AKT_EINVAL}), and a peer's
         * chunks declaring more close the connection. The core wants
         * maxFrameBytes..1 GiB.
         *
         * @param bytes the limit, 0 for 64 MiB
         * @return this builder
         * @throws IllegalArgumentException for a negative value or one over 2^32-1
         */
        public Builder maxMessageBytes(long bytes) {
            this.maxMessageBytes = u32("maxMessageBytes", bytes);
            return this;
        }

        /**
         * The bytes queued for one connection (a peer that stops reading): over it a
         * message becomes a dead letter and a tell throws {@link MailboxFullException}
         * until the queue is below half of it. The core wants at least 65536.
         *
         * @param bytes the cap, 0 for 64 MiB
         * @return this builder
         * @throws IllegalArgumentException for a negative value
         */
        public Builder sendBufferBytes(long bytes) {
            if (bytes < 0) throw new IllegalArgumentException("akt: negative sendBufferBytes");
            this.sendBufferBytes = bytes;
            return this;
        }

        /**
         * The most pids this node keeps for the remote senders of the messages it receives
         * ({@link Context#sender()}); past it the least recently seen one that nothing
         * watches is stopped (a tell to a pid of it kept by an actor then throws
         * {@link ActorNotFoundException}; its next message makes a new one). A pid that
         * {@link ActorSystem#remoteLookup} gave is never evicted.
         *
         * @param proxies the cap, 0 for 10000
         * @return this builder
         * @throws IllegalArgumentException for a negative value or one over 2^32-1
         */
        public Builder maxReverseProxies(long proxies) {
            this.maxReverseProxies = u32("maxReverseProxies", proxies);
            return this;
        }

        /**
         * TLS 1.3 on every connection of this node (see {@link RemoteTls}).
         *
         * @param tls the certificate, key and trusted CAs, or null for no TLS
         * @return this builder
         */
        public Builder tls(RemoteTls tls) {
            this.tls = tls;
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         */
        public RemoteOptions build() {
            return new RemoteOptions(this);
        }
    }
}
