package dev.akt;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS 1.3 settings of {@link ActorSystem#remoteStart(String, int, RemoteTls)}: this node's
 * certificate and key (PEM files), the CAs peers must chain to (none: the system's), the
 * name or IP address outbound peers must prove (none: the host of their address), and
 * whether inbound peers must present a certificate too (mutual TLS). Immutable.
 *
 * <pre>{@code
 * RemoteTls tls = RemoteTls.builder(Path.of("node.pem"), Path.of("node.key"))
 *         .trust(Path.of("ca.pem")).requireClientCertificate(true).build();
 * system.remoteStart(null, 0, tls);
 * }</pre>
 */
public final class RemoteTls {
    private final String certificate;
    private final String key;
    private final String trust;
    private final String peerName;
    private final boolean requireClientCertificate;

    private RemoteTls(Builder b) {
        this.certificate = b.certificate;
        this.key = b.key;
        this.trust = b.trust;
        this.peerName = b.peerName;
        this.requireClientCertificate = b.requireClientCertificate;
    }

    /**
     * A builder for the node's certificate (chain) and its private key.
     *
     * @param certificate the PEM file of the certificate, leaf first
     * @param key the PEM file of the private key
     * @return a builder with the system's CAs, no peer name and no client certificates required
     */
    public static Builder builder(Path certificate, Path key) {
        return new Builder(certificate, key);
    }

    String certificate() {
        return certificate;
    }

    String key() {
        return key;
    }

    String trust() {
        return trust;
    }

    String peerName() {
        return peerName;
    }

    boolean requireClientCertificate() {
        return requireClientCertificate;
    }

    /**
     * What {@link ActorSystem#remoteTlsFailures()} tells: how many connections TLS closed
     * and the last one's reason.
     *
     * @param count the connections TLS closed since remoting started
     * @param reason the last one's reason ({@code ""} if none)
     */
    public record Failures(long count, String reason) {}

    /** Builds a {@link RemoteTls}; each setter returns the builder. */
    public static final class Builder {
        private final String certificate;
        private final String key;
        private String trust;
        private String peerName;
        private boolean requireClientCertificate;

        private Builder(Path certificate, Path key) {
            this.certificate = Objects.requireNonNull(certificate, "certificate").toString();
            this.key = Objects.requireNonNull(key, "key").toString();
        }

        /**
         * The PEM file of the CAs a peer's certificate must chain to.
         *
         * @param caFile the CA file
         * @return this builder
         */
        public Builder trust(Path caFile) {
            this.trust = Objects.requireNonNull(caFile, "caFile").toString();
            return this;
        }

        /**
         * The DNS name or IP address an outbound peer's certificate must name.
         *
         * @param name the name the certificate must have
         * @return this builder
         * @throws IllegalArgumentException for an empty name
         */
        public Builder peerName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) throw new IllegalArgumentException("akt: empty peer name");
            this.peerName = name;
            return this;
        }

        /**
         * Mutual TLS: inbound peers without a valid certificate are refused.
         *
         * @param require true for mutual TLS
         * @return this builder
         */
        public Builder requireClientCertificate(boolean require) {
            this.requireClientCertificate = require;
            return this;
        }

        /**
         * The settings; the files are read by {@link ActorSystem#remoteStart(String, int, RemoteTls)}.
         *
         * @return the settings
         */
        public RemoteTls build() {
            return new RemoteTls(this);
        }
    }
}
