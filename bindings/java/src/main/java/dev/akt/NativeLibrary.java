package dev.akt;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Loads akt's native libraries: libakt.so.0, then the JNI library libakt_jni.so. They are
 * looked for in this order, the first that has them wins:
 * <ol>
 *   <li>{@code -Dakt.library.path=DIR} (or the older {@code -Dakt.native.dir=DIR}): the
 *       libraries of {@code DIR/libs.txt}, or {@code libakt.so.0} and {@code libakt_jni.so};
 *   <li>the first folder of {@code java.library.path} that holds {@code libakt_jni.so} (with
 *       its {@code libakt.so.0} beside it if there is one, else the one the system's loader
 *       finds);
 *   <li>the jar's bundle {@code native/<os>-<arch>/}: both libraries and the ones libakt
 *       needs beyond glibc (libuv, OpenSSL, zstd, brotli, libcurl, ...), each with the
 *       RUNPATH {@code $ORIGIN}. It is unpacked once per user into
 *       {@code <cache>/akt/native-<os>-<arch>-<id>/}, where {@code <cache>} is
 *       {@code -Dakt.cache.dir}, else {@code $XDG_CACHE_HOME}, else {@code ~/.cache}, and
 *       {@code <id>} the bundle's hash (so another akt version gets its own folder). The
 *       files are written to a fresh private temporary folder beside it, which is then
 *       renamed into place: processes that start at once each see either no folder or a
 *       complete one (temporary folders an hour old, left by a JVM that died while
 *       unpacking, are deleted). If that cache cannot be written, a temporary folder is
 *       used and deleted once the libraries are loaded.
 * </ol>
 */
final class NativeLibrary {
    private static final String LIBAKT = "libakt.so.0";
    private static final String JNI = System.mapLibraryName("akt_jni");
    private static boolean loaded;

    private NativeLibrary() {}

    /** Loads the libraries once per class loader; later calls return at once. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            String dir = System.getProperty("akt.library.path", System.getProperty("akt.native.dir"));
            if (dir != null) {
                loadDir(Path.of(dir), true);
            } else if (!loadFromLibraryPath()) {
                loadFromJar();
            }
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("akt: cannot unpack the native libraries: " + e);
        }
        loaded = true;
    }

    /** Loads the libraries of DIR (its libs.txt when it has one). */
    private static void loadDir(Path dir, boolean required) throws IOException {
        Path list = dir.resolve("libs.txt");
        List<String> libs;
        if (Files.isRegularFile(list)) {
            libs = readList(Files.newInputStream(list));
        } else {
            libs = new ArrayList<>();
            if (Files.isRegularFile(dir.resolve(LIBAKT))) {
                libs.add(LIBAKT);
            }
            libs.add(JNI);
        }
        for (String lib : libs) {
            Path file = dir.resolve(lib).toAbsolutePath();
            if (required && !Files.isRegularFile(file)) {
                throw new UnsatisfiedLinkError("akt: " + file + " does not exist (akt.library.path)");
            }
            System.load(file.toString());
        }
    }

    private static boolean loadFromLibraryPath() throws IOException {
        String path = System.getProperty("java.library.path", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isRegularFile(Path.of(entry, JNI))) {
                loadDir(Path.of(entry), false);
                return true;
            }
        }
        return false;
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            arch = "x86_64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            arch = "aarch64";
        }
        return (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
    }

    private static InputStream resource(String name) {
        InputStream in = NativeLibrary.class.getResourceAsStream(name);
        if (in == null) {
            throw new UnsatisfiedLinkError("akt: " + name + " missing in the jar");
        }
        return in;
    }

    private static void loadFromJar() throws IOException {
        String base = "/native/" + platform() + "/";
        if (NativeLibrary.class.getResource(base + "libs.txt") == null) {
            throw new UnsatisfiedLinkError("akt: this jar has no native libraries for "
                    + platform() + " (looked for " + base + "libs.txt)");
        }
        List<String> files = readList(resource(base + "files.txt"));
        String id = readList(resource(base + "id.txt")).get(0);
        Path cache = cacheRoot();
        Path dir = cache == null ? null : cache.resolve("native-" + platform() + "-" + id);
        if (dir != null && !complete(dir, files)) {
            try {
                Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                removeStale(cache);
                Path tmp = Files.createTempDirectory(cache, ".tmp-" + id + "-"); // mode 0700
                try {
                    unpack(base, files, tmp);
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // Another process renamed its complete copy into place first: use it.
                } finally {
                    deleteTree(tmp);
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                dir = null; // an unwritable cache: fall back to a temporary folder
            }
        }
        if (dir != null && complete(dir, files)) {
            loadDir(dir, true);
            return;
        }
        Path tmp = Files.createTempDirectory("akt-native-");
        try {
            unpack(base, files, tmp);
            loadDir(tmp, true);
        } finally {
            deleteTree(tmp);
        }
    }

    private static Path cacheRoot() {
        String dir = System.getProperty("akt.cache.dir");
        if (dir != null) {
            dir = dir + File.separator + "akt";
        } else {
            String xdg = System.getenv("XDG_CACHE_HOME");
            if (xdg != null && Path.of(xdg).isAbsolute()) {
                dir = xdg + File.separator + "akt";
            } else {
                String home = System.getProperty("user.home");
                if (home == null || home.isEmpty() || home.equals("?")) {
                    return null;
                }
                dir = home + File.separator + ".cache" + File.separator + "akt";
            }
        }
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        return Path.of(dir).toAbsolutePath();
    }

    /** Deletes the temporary folders that JVMs which died while unpacking left (an hour old:
     *  never one that a live JVM is still writing). */
    private static void removeStale(Path cache) {
        long limit = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(cache, ".tmp-*")) {
            for (Path tmp : tmps) {
                if (Files.getLastModifiedTime(tmp).toMillis() < limit) {
                    deleteTree(tmp);
                }
            }
        } catch (IOException e) {
            // best effort: a folder another JVM removed first, or one we may not delete
        }
    }

    private static boolean complete(Path dir, List<String> files) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (String f : files) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return Files.isRegularFile(dir.resolve("libs.txt"));
    }

    private static void unpack(String base, List<String> files, Path into) throws IOException {
        List<String> all = new ArrayList<>(files);
        all.add("libs.txt");
        for (String f : all) {
            try (InputStream in = resource(base + f)) {
                Files.copy(in, into.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> readList(InputStream in) throws IOException {
        List<String> libs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    libs.add(line.strip());
                }
            }
        }
        return libs;
    }
}
