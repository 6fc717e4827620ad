package dev.kvmsim.harness.live;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine can run the harness: a {@code /dev/kvm} this process may open for
 * reading and writing. The device path can be changed with the system property
 * {@code kvmsim.kvm.device} (tests use it to act as a machine without KVM).
 */
public final class KvmHost {
    public static final String DEVICE_PROPERTY = "kvmsim.kvm.device";

    private KvmHost() {}

    public static Path device() {
        return Path.of(System.getProperty(DEVICE_PROPERTY, "/dev/kvm"));
    }

    public static boolean usable() {
        Path d = device();
        return Files.exists(d) && Files.isReadable(d) && Files.isWritable(d);
    }
}
