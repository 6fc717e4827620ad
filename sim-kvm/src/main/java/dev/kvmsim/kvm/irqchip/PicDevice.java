package dev.kvmsim.kvm.irqchip;

import dev.kvmsim.kvm.iobus.KvmIoDevice;

/**
 * One of the PIC's three PIO devices (kvm_pic dev_master at 0x20, dev_slave at 0xA0, dev_elcr
 * at 0x4D0, each 2 bytes, as kvm_pic_init registers them). All three dispatch to picdev_write /
 * picdev_read, which decode the port themselves.
 */
public final class PicDevice implements KvmIoDevice {
    private final Pic pic;
    private final int base;

    PicDevice(Pic pic, int base) {
        this.pic = pic;
        this.base = base;
    }

    /** The first port. */
    public int base() { return base; }

    /** The number of ports registered (2). */
    public int length() { return 2; }

    /** Models picdev_*_write: 0 handled, -EOPNOTSUPP for a port outside the PIC. */
    @Override
    public int write(int vcpu, long addr, int len, long value) {
        return pic.picdevWrite(addr, len, value);
    }

    /** Models picdev_*_read. */
    @Override
    public int read(int vcpu, long addr, int len, long[] out) {
        return pic.picdevRead(addr, len, out);
    }

    @Override
    public String describe() {
        return "8259 pic pio 0x" + Integer.toHexString(base) + "/2";
    }
}
