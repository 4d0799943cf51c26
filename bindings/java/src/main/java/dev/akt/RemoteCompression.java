package dev.akt;

/**
 * How a node compresses its remoting frames ({@link ActorSystem#remoteStart(String, int, int,
 * RemoteCompression)}); the order is that of the C constants AKT_REMOTE_COMPRESS_*.
 */
public enum RemoteCompression {
    /** No compression, and compressed frames are refused. */
    NONE,
    /** Zstandard. */
    ZSTD,
    /** zlib (deflate). */
    GZIP,
    /** Brotli. */
    BROTLI
}
