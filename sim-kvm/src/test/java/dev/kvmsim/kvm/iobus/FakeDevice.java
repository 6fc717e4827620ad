package dev.kvmsim.kvm.iobus;

import java.util.List;

/** A test device: accepts writes when {@code accepts} is true and logs every attempt into a shared log. */
final class FakeDevice implements KvmIoDevice {
    final String name;
    final boolean accepts;
    final boolean ioeventfd;
    final List<String> log;
    int writes;
    long lastValue;

    FakeDevice(String name, boolean accepts, List<String> log) {
        this(name, accepts, false, log);
    }

    FakeDevice(String name, boolean accepts, boolean ioeventfd, List<String> log) {
        this.name = name;
        this.accepts = accepts;
        this.ioeventfd = ioeventfd;
        this.log = log;
    }

    @Override
    public int write(int vcpu, long addr, int len, long value) {
        log.add(name);
        if (!accepts) {
            return NOT_HANDLED;
        }
        writes++;
        lastValue = value;
        return 0;
    }

    @Override
    public boolean isIoeventfd() {
        return ioeventfd;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
