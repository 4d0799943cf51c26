/**
 * akt for Java: actors on akt's C runtime. Only {@code dev.akt} is exported; the JNI layer
 * (raw native handles) is package-private inside it, and the native libraries are resources
 * of this module.
 */
module dev.akt {
    exports dev.akt;
}
