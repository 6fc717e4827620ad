package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.RouteEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds a {@code gsi_routing} step's entries: {@code {gsi, msi: {address, address_hi, data}}}
 * or {@code {gsi, irqchip, pin}}. Values the kernel checks (GSI range, pin range, raw irqchip
 * numbers) are passed on; only the __u32 width is a load error.
 */
final class RoutingBinder {
    private final BindContext c;
    private final Reader r;

    RoutingBinder(BindContext c) {
        this.c = c;
        this.r = c.r;
    }

    /** All entries, or empty when any entry has an error (each error is reported). */
    Optional<List<RouteEntry>> bind(YNode arg, String path) {
        Optional<YNode.ListNode> l = r.list(arg, path, "routing entries ({gsi, msi: {...}} or {gsi, irqchip, pin})");
        if (l.isEmpty()) {
            return Optional.empty();
        }
        List<RouteEntry> entries = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < l.get().items().size(); i++) {
            Optional<RouteEntry> e = entry(l.get().items().get(i), Reader.index(path, i));
            ok &= e.isPresent();
            e.ifPresent(entries::add);
        }
        return ok ? Optional.of(entries) : Optional.empty();
    }

    private Optional<RouteEntry> entry(YNode n, String path) {
        Optional<Args> aa = c.args(n, path, "a routing entry ({gsi, msi: {address, data}} or {gsi, irqchip, pin})",
                List.of("gsi", "msi", "irqchip", "pin", "flags", "count"));
        if (aa.isEmpty()) {
            return Optional.empty();
        }
        Args a = aa.get();
        Optional<Long> gsi = a.reqU32("gsi");
        long flags = a.optU32("flags", 0);
        long count = a.count();
        Optional<YNode> msi = a.optional("msi");
        Optional<YNode> chip = a.optional("irqchip");
        if (msi.isPresent() && chip.isPresent()) {
            r.error(a.m.loc(), path, "an entry is either msi or irqchip, not both");
            return Optional.empty();
        }
        if (msi.isEmpty() && chip.isEmpty()) {
            r.error(a.m.loc(), path, "missing the entry's type: expected msi: {address, data} or irqchip with pin");
            return Optional.empty();
        }
        if (msi.isPresent()) {
            if (a.optional("pin").isPresent()) {
                r.error(a.m.entries().get("pin").keyLoc(), path + ".pin", "pin belongs to irqchip entries, not msi");
            }
            Optional<Args> ma = c.args(msi.get(), path + ".msi", "an MSI (a map with address, address_hi, data)", List.of("address", "address_hi", "data"));
            if (ma.isEmpty()) {
                return Optional.empty();
            }
            Optional<Long> addr = ma.get().reqU32("address");
            long hi = ma.get().optU32("address_hi", 0);
            Optional<Long> data = ma.get().reqU32("data");
            if (gsi.isEmpty() || addr.isEmpty() || data.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new RouteEntry.Msi(gsi.get(), addr.get(), hi, data.get(), flags, count, a.m.loc()));
        }
        Optional<Long> chipNr = chip(chip.get(), path + ".irqchip");
        Optional<Long> pin = a.reqU32("pin");
        if (gsi.isEmpty() || chipNr.isEmpty() || pin.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RouteEntry.Irqchip(gsi.get(), chipNr.get(), pin.get(), flags, count, a.m.loc()));
    }

    /** {@code pic-master}, {@code pic-slave}, {@code ioapic} or a raw chip number (a __u32). */
    private Optional<Long> chip(YNode chip, String path) {
        if (chip instanceof YNode.Scalar s && s.type() == YNode.Type.STRING && Reader.parseUnsigned(s.text().strip()).isEmpty()) {
            switch (s.text()) {
                case "pic-master":
                    return Optional.of(RouteEntry.Irqchip.PIC_MASTER);
                case "pic-slave":
                    return Optional.of(RouteEntry.Irqchip.PIC_SLAVE);
                case "ioapic":
                    return Optional.of(RouteEntry.Irqchip.IOAPIC);
                default:
                    r.error(chip.loc(), path, "expected pic-master, pic-slave, ioapic or a chip number, got '" + s.text() + "'");
                    return Optional.empty();
            }
        }
        return r.u64(chip, path, 0, 0xFFFF_FFFFL, BindContext.U32);
    }
}
