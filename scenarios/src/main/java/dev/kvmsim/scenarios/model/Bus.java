package dev.kvmsim.scenarios.model;

/** The {@code bus:} of an ioeventfd or coalesced zone. */
public enum Bus {
    MMIO("mmio"), PIO("pio"), VIRTIO_CCW("virtio-ccw");

    private final String yamlName;

    Bus(String yamlName) { this.yamlName = yamlName; }

    public String yamlName() { return yamlName; }

    public static Bus byYamlName(String s) {
        for (Bus b : values()) {
            if (b.yamlName.equals(s)) {
                return b;
            }
        }
        return null;
    }
}
