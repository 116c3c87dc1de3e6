package org.aes67d.driver.netlink.internal.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aes67d.driver.netlink.internal.wire.NlCodec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The AF_NETLINK socket as far as this kernel allows: without the module, protocols 31 and 29 do not exist; the
 * socket code itself (bind, sendto, poll, recv) runs against the kernel's own routing protocol (0).
 */
class AfNetlinkTransportTest {

    @Test
    void withoutTheModuleOpeningProtocol31SaysModuleNotLoaded() throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/sys/module/MergingRavennaALSA")), "the module is loaded here");
        AfNetlinkTransport t = new AfNetlinkTransport();
        for (int proto : new int[] {NlCodec.PROTO_U2K, NlCodec.PROTO_K2U}) {
            ModuleNotLoadedException e = assertThrows(ModuleNotLoadedException.class, () -> t.open(proto));
            assertTrue(e.getMessage().startsWith("kernel module not loaded (socket(AF_NETLINK, SOCK_RAW, " + proto
                    + ") failed: Protocol not supported"), e.getMessage());
        }
        assertEquals((int) ProcessHandle.current().pid(), t.portId(), "the C++ daemon's choice: P = getpid()");
    }

    @Test
    void sockaddrIsFamilyPadPidGroups() {
        assertArrayEquals(new byte[] {16, 0, 0, 0, 0x34, 0x12, 0, 0, 0, 0, 0, 0}, AfNetlinkTransport.sockaddr(0x1234));
    }

    @Test
    void theSocketCodeTalksToTheKernelOnTheRoutingProtocol() throws Exception {
        AfNetlinkTransport t = new AfNetlinkTransport(0); // 0: the kernel picks a free port id
        try (NlSocket s = t.open(0)) {
            byte[] buf = new byte[16384];
            // an NLMSG_DONE the kernel ignores: nothing comes back, the wait ends on time
            long t0 = System.nanoTime();
            s.send(NlCodec.encode(0, 20));
            assertEquals(-1, s.receive(buf, 100));
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 90);
            // RTM_GETLINK dump: the kernel answers with the links of this namespace
            ByteBuffer req = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            req.putInt(32).putShort((short) 18).putShort((short) 0x301).putInt(1).putInt(0);
            s.send(req.array());
            int n = s.receive(buf, 2000);
            assertTrue(n >= 16, "reply of " + n + " bytes");
            int type = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).getShort(4);
            assertTrue(type == 16 || type == 3, "RTM_NEWLINK or NLMSG_DONE, got " + type);
        }
    }

    @Test
    void aClosedSocketFailsClearly() throws Exception {
        NlSocket s = new AfNetlinkTransport(0).open(0);
        s.close();
        assertThrows(java.io.IOException.class, () -> s.receive(new byte[64], 10));
        assertThrows(java.io.IOException.class, () -> s.send(new byte[40]));
    }
}
