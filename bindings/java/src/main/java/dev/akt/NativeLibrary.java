package dev.akt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Loads the two native libraries packed in the jar ({@code native/<os>-<arch>/}): they are
 * copied to a private temporary folder and loaded in the order of {@code libs.txt}, libakt
 * first so that the JNI library finds it already loaded. The files are deleted once loaded
 * (the mappings stay). Set {@code -Dakt.native.dir=DIR} to load them from a folder instead.
 */
final class NativeLibrary {
    private static boolean loaded;

    private NativeLibrary() {}

    /** Loads the libraries once per class loader; later calls return at once. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        String dir = System.getProperty("akt.native.dir");
        try {
            if (dir != null) {
                for (String lib : readList(Files.newInputStream(Path.of(dir, "libs.txt")))) {
                    System.load(Path.of(dir, lib).toAbsolutePath().toString());
                }
            } else {
                loadFromJar();
            }
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("akt: cannot unpack the native libraries: " + e);
        }
        loaded = true;
    }

    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            arch = "x86_64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            arch = "aarch64";
        }
        return (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
    }

    private static void loadFromJar() throws IOException {
        String base = "/native/" + platform() + "/";
        InputStream list = NativeLibrary.class.getResourceAsStream(base + "libs.txt");
        if (list == null) {
            throw new UnsatisfiedLinkError("akt: this jar has no native libraries for "
                    + platform() + " (looked for " + base + "libs.txt)");
        }
        List<String> libs = readList(list);
        Path tmp = Files.createTempDirectory("akt-native-");
        List<Path> files = new ArrayList<>();
        try {
            for (String lib : libs) {
                try (InputStream in = NativeLibrary.class.getResourceAsStream(base + lib)) {
                    if (in == null) {
                        throw new UnsatisfiedLinkError("akt: " + base + lib + " missing in the jar");
                    }
                    Path file = tmp.resolve(lib);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    files.add(file);
                }
            }
            for (Path file : files) {
                System.load(file.toString());
            }
        } finally {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(tmp);
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
