package dev.kvmsim.harness.gen;

import dev.kvmsim.harness.Scenarios;
import dev.kvmsim.harness.Tools;
import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guest code of every supported scenario (every vCPU's handlers and program), assembled
 * by GNU as from the assembler's listing, is byte for byte what {@link GuestImage} put in the
 * harness. One as run over all of them (labels renamed per listing).
 */
class GuestCodeGnuAsTest {
    @TempDir
    Path dir;

    @Test
    void everyScenariosGuestCodeMatchesGnuAs() throws Exception {
        Tools.assumeOnPath("as");
        Tools.assumeOnPath("objcopy");
        StringBuilder listing = new StringBuilder(".intel_syntax noprefix\n.code32\n");
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        int k = 0;
        for (Path p : Scenarios.all()) {
            Scenario s = Scenarios.load(p);
            if (!Support.unsupported(s).isEmpty()) {
                continue;
            }
            GuestImage img = GuestImage.build(s, Support.ramBase(s));
            for (GuestImage.VcpuCode v : img.vcpus()) {
                for (String l : new String[] {v.handlersListing(), v.programListing()}) {
                    String body = l.replace(".intel_syntax noprefix\n.code32\n", "").replaceAll("\\.L(\\d+)", ".L" + k + "_$1");
                    listing.append("# ").append(s.name()).append('\n').append(body);
                    k++;
                }
            }
            for (GuestImage.Chunk c : img.chunks()) {
                long off = c.offset() % Layout.VCPU_AREA_SIZE;
                if (c.offset() >= Layout.VCPU_AREA && off >= Layout.V_HANDLERS) {
                    ours.write(c.bytes());
                }
            }
        }
        byte[] gnu = Tools.gnuAssemble(dir, listing.toString());
        assertEquals(HexFormat.of().formatHex(gnu), HexFormat.of().formatHex(ours.toByteArray()));
    }
}
