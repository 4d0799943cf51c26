import dev.akt.ActorSystem;
import dev.akt.AktException;
import dev.akt.Pid;

/**
 * The C actor of conformance/cases/interop (peer.h), spawned into a Java ActorSystem through
 * a small JNI library (native/conf_peer_jni.c) that test.sh builds and puts on
 * java.library.path.
 */
public final class CPeer {
    static {
        // The peer library links libakt.so.0, which must be the binding's copy, loaded first.
        // It is: this runs on the first call of spawn, whose argument is a live ActorSystem.
        System.loadLibrary("akt_conf_peer");
    }

    private CPeer() {}

    private static native long spawnNative(long system, String name);

    private static native long spawnEchoNative(long system, String name);

    /** Spawns the C peer as a top-level actor of system. */
    public static Pid spawn(ActorSystem system, String name) {
        long id = spawnNative(system.nativeHandle(), name);
        if (id < 0) {
            throw new AktException((int) id, "spawning the C peer failed");
        }
        return system.pid(id);
    }

    /** Spawns the C echo actor of peer.h (conf_echo()) as a top-level actor of system. */
    public static Pid spawnEcho(ActorSystem system, String name) {
        long id = spawnEchoNative(system.nativeHandle(), name);
        if (id < 0) {
            throw new AktException((int) id, "spawning the C echo failed");
        }
        return system.pid(id);
    }
}
