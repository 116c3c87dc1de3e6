package org.aes67d.ptp.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;

import org.aes67d.api.ptp.PtpState;
import org.aes67d.ptp.internal.clock.VirtualClock;
import org.aes67d.ptp.internal.engine.PtpPort.Mode;
import org.aes67d.ptp.internal.message.PtpMessage;
import org.aes67d.ptp.internal.message.PtpWriter;
import org.junit.jupiter.api.Test;

/**
 * Verifies "no allocation per PTP message in steady state" with the JVM's per-thread allocation
 * counter (com.sun.management.ThreadMXBean): decode + engine for Sync/Follow_Up/Delay_Resp/Announce
 * as a slave, and tick + Delay_Req answering as a master, after a JIT warm-up. (The socket layer is
 * covered by construction: native/direct buffers reused; see PtpNode and the transports.)
 */
class ZeroAllocationTest {
    static final long S = 1_000_000_000L;
    static final long GM = 0x11L;
    static final long ME = 0x22L;

    private static com.sun.management.ThreadMXBean mx() {
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        assumeTrue(b instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter on this JVM");
        com.sun.management.ThreadMXBean m = (com.sun.management.ThreadMXBean) b;
        assumeTrue(m.isThreadAllocatedMemorySupported(), "per-thread allocation counter unsupported");
        m.setThreadAllocatedMemoryEnabled(true);
        return m;
    }

    /** Captures what the port sends, decoded into a reused message. */
    static final class CaptureIo implements PtpPort.Io {
        final PtpMessage last = new PtpMessage();
        long txTime;
        int sent;

        @Override
        public long sendEvent(byte[] buf, int len) {
            last.parse(buf, 0, len);
            sent++;
            return txTime;
        }

        @Override
        public void sendGeneral(byte[] buf, int len) {
            sent++;
        }
    }

    @Test
    void slaveSteadyStateAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = mx();
        CaptureIo io = new CaptureIo();
        long local0 = 5 * S;
        PtpPort port = new PtpPort(PtpPort.Settings.aes67(Mode.SLAVE, 0, ME), new VirtualClock(local0, 0), io, null,
                local0);
        byte[] b = new byte[128];
        PtpMessage m = new PtpMessage();
        long master0 = 1_700_000_000L * S;
        long delay = 2_000;

        Runnable step = new Runnable() {
            long k;

            @Override
            public void run() {
                long t = k * S / 8; // true time since start
                long local = local0 + t;
                int seq = (int) (k & 0xFFFF);
                if (k % 16 == 0) {
                    PtpWriter.announce(b, 0, 0, GM, 1, seq, 1, 0, master0 + t, 37, 100, 248, 0xFE, 0xFFFF, 128, 0, 0xA0);
                    m.parse(b, 0, 64);
                    port.onMessage(m, local);
                }
                PtpWriter.sync(b, 0, 0, GM, 1, seq, -3, master0 + t);
                m.parse(b, 0, 44);
                port.onMessage(m, local + delay);
                PtpWriter.followUp(b, 0, 0, GM, 1, seq, -3, master0 + t);
                m.parse(b, 0, 44);
                port.onMessage(m, local + delay);
                io.txTime = local + 1_000;
                io.last.messageType = -1;
                port.tick(local + 1_000);
                if (io.last.messageType == PtpMessage.DELAY_REQ) {
                    PtpWriter.delayResp(b, 0, 0, GM, 1, io.last.sequenceId, 0, 0, master0 + t + 1_000 + delay, ME, 1);
                    m.parse(b, 0, 54);
                    port.onMessage(m, local + 2_000);
                }
                k++;
            }
        };
        for (int i = 0; i < 50_000; i++) {
            step.run();
        }
        assertEquals(PtpState.LOCKED, port.state(), () -> port.details().toString());
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20_000; i++) {
            step.run();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertEquals(PtpState.LOCKED, port.state());
        // a few hundred bytes of slack for the counter call itself; 20k iterations = 60k+ messages
        assertTrue(allocated < 2_000, "allocated " + allocated + " bytes in 20000 Sync intervals");
        System.out.printf("zero-alloc: slave %d bytes for 20000 Sync intervals%n", allocated);
    }

    @Test
    void masterSteadyStateAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = mx();
        CaptureIo io = new CaptureIo();
        VirtualClock clock = new VirtualClock(0, 1_700_000_000L * S);
        PtpPort port = new PtpPort(PtpPort.Settings.aes67(Mode.MASTER, 0, ME), clock, io, null, 0);
        byte[] b = new byte[64];
        PtpMessage m = new PtpMessage();
        long[] t = {0};
        Runnable step = () -> {
            t[0] += S / 8;
            io.txTime = t[0] + 500;
            port.tick(t[0]);
            PtpWriter.delayReq(b, 0, 0, GM, 1, (int) (t[0] & 0xFFFF), 0);
            m.parse(b, 0, 44);
            port.onMessage(m, t[0] + 3_000);
            long ptp = clock.ptpTime(t[0]); // the audio thread's read
            if (ptp == 0) {
                throw new AssertionError();
            }
        };
        for (int i = 0; i < 50_000; i++) {
            step.run();
        }
        long tid = Thread.currentThread().getId();
        int sentBefore = io.sent;
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20_000; i++) {
            step.run();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(io.sent - sentBefore > 40_000, "Sync + Follow_Up + Delay_Resp were sent");
        System.out.printf("zero-alloc: master %d bytes for 20000 Sync intervals%n", allocated);
        assertTrue(allocated < 2_000, "allocated " + allocated + " bytes in 20000 Sync intervals");
    }
}
