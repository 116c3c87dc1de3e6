package org.aes67d.driver.netlink.internal.sim;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aes67d.driver.netlink.internal.transport.UdpTransport;
import org.aes67d.driver.netlink.internal.wire.Abi;
import org.aes67d.driver.netlink.internal.wire.ModulePtpConfig;
import org.aes67d.driver.netlink.internal.wire.ModulePtpStatus;
import org.aes67d.driver.netlink.internal.wire.MsgId;
import org.aes67d.driver.netlink.internal.wire.NlCodec;
import org.aes67d.driver.netlink.internal.wire.NlMessage;
import org.aes67d.driver.netlink.internal.wire.StreamInfo;
import org.aes67d.driver.netlink.internal.wire.StreamStatus;
import org.aes67d.driver.netlink.internal.wire.WireException;

/**
 * A stand-in for the kernel module on two loopback UDP sockets, speaking the module's bytes: it learns the daemon's
 * port id only from a Hello, drops replies before it, answers commands as the module does (sizes, validation, error
 * codes, handles), sends Hello and Bye events and waits up to 1 s for their answer, and can be "unloaded" (it then
 * answers nothing and forgets its state) and "loaded" again. The same class serves the tests and the
 * {@code netlink_transport: "simulated"} setting, for working on the daemon without the module.
 */
public final class SimulatedModule implements AutoCloseable {
    /** The C++ fake driver's grandmaster: {@code AB-AB-AB-AB-AB-AB-AB-AB}. */
    public static final byte[] FAKE_GMID = {(byte) 0xAB, (byte) 0xAB, (byte) 0xAB, (byte) 0xAB, (byte) 0xAB,
        (byte) 0xAB, (byte) 0xAB, (byte) 0xAB};
    private static final int EVENT_WAIT_MILLIS = 1000;
    private static final long HANDLE_BASE = 0xFFFF_8880_0000_0000L;

    private final Abi abi;
    private final DatagramSocket u2k;
    private final DatagramSocket k2u;
    private final Thread thread;
    private final Map<Integer, SocketAddress> u2kBound = new ConcurrentHashMap<>();
    private final Map<Integer, SocketAddress> k2uBound = new ConcurrentHashMap<>();
    private final List<String> commands = new ArrayList<>();
    private final Map<Long, StreamInfo> streams = new LinkedHashMap<>();
    private final Object eventLock = new Object();
    private volatile boolean running = true;
    private volatile boolean loaded = true;
    private volatile int daemonPid; // 0 = no Hello yet
    private volatile int dropReplies;
    private volatile boolean staleReplyFirst;
    private volatile byte[] garbageReply;
    private volatile ModulePtpStatus ptpStatus = new ModulePtpStatus(ModulePtpStatus.UNLOCKED, FAKE_GMID, 0);
    private volatile int sinkFlags = StreamStatus.RECEIVING;
    private volatile NlMessage lastAnswer;
    private volatile int sampleRate = 48000;
    private volatile long ticFrameSize;
    private volatile long maxTicFrameSize;
    private volatile int playoutDelay;
    private volatile String interfaceName = "";
    private volatile ModulePtpConfig ptpConfig = new ModulePtpConfig(0, 0);
    private volatile int volume = -20;
    private long nextHandle = 1;

    public SimulatedModule(Abi abi) throws IOException {
        this.abi = abi;
        InetAddress lo = InetAddress.getLoopbackAddress();
        u2k = new DatagramSocket(new InetSocketAddress(lo, 0));
        k2u = new DatagramSocket(new InetSocketAddress(lo, 0));
        thread = new Thread(this::serve, "simulated-module");
        thread.setDaemon(true);
        thread.start();
    }

    /** A transport to this module for the daemon's side, with the given port id. */
    public UdpTransport transport(int portId) {
        return new UdpTransport((InetSocketAddress) u2k.getLocalSocketAddress(),
                (InetSocketAddress) k2u.getLocalSocketAddress(), portId);
    }

    public Abi abi() {
        return abi;
    }

    // ---- what a test sets and reads

    /** Unloads (true: no answers at all, state forgotten, like rmmod) or loads the module again. */
    public synchronized void setLoaded(boolean on) {
        loaded = on;
        if (!on) {
            daemonPid = 0;
            streams.clear();
        }
    }

    /** The next {@code n} commands get no reply (their senders time out). */
    public void dropReplies(int n) {
        dropReplies = n;
    }

    /** Before the next reply, a reply to another id is sent (what a late reply looks like). */
    public void sendStaleReplyFirst() {
        staleReplyFirst = true;
    }

    /** The next reply is replaced by these bytes. */
    public void replyGarbage(byte[] datagram) {
        garbageReply = datagram.clone();
    }

    public void setPtpStatus(ModulePtpStatus s) {
        ptpStatus = s;
    }

    public void setSinkFlags(int flags) {
        sinkFlags = flags;
    }

    /** Names of the commands received so far, in order. */
    public synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    public synchronized void clearCommands() {
        commands.clear();
    }

    /** The streams the module holds. */
    public synchronized List<StreamInfo> streams() {
        return List.copyOf(streams.values());
    }

    public int sampleRate() {
        return sampleRate;
    }

    public long ticFrameSize() {
        return ticFrameSize;
    }

    public long maxTicFrameSize() {
        return maxTicFrameSize;
    }

    public int playoutDelay() {
        return playoutDelay;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public ModulePtpConfig ptpConfig() {
        return ptpConfig;
    }

    public int daemonPid() {
        return daemonPid;
    }

    /** The answer to the last event, or null. */
    public NlMessage lastAnswer() {
        return lastAnswer;
    }

    /**
     * Sends an event as the kernel does (to the daemon's port id on K2U) and waits up to 1 s for any answer.
     *
     * @return the answer, or null when none came (the kernel's callback then returns -EPIPE)
     */
    public NlMessage sendEvent(int id, byte[] payload) throws IOException {
        synchronized (eventLock) {
            acceptEventBinds();
            int pid = daemonPid;
            SocketAddress to = pid == 0 ? null : k2uBound.get(pid);
            if (to == null) {
                return null;
            }
            byte[] d = padded(NlCodec.encode(0, id, 0, payload));
            k2u.send(new DatagramPacket(d, d.length, to));
            byte[] buf = new byte[NlCodec.MAX_DATAGRAM];
            long deadline = System.nanoTime() + EVENT_WAIT_MILLIS * 1_000_000L;
            while (true) {
                int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                if (left <= 0) {
                    return null;
                }
                k2u.setSoTimeout(left);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    k2u.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                if (p.getLength() == UdpTransport.BIND_LENGTH) {
                    bind(k2uBound, p);
                    continue;
                }
                try {
                    NlMessage m = NlCodec.decode(buf, p.getLength());
                    lastAnswer = m;
                    return m;
                } catch (WireException e) {
                    return null; // the kernel takes any message as the answer; a test sees null
                }
            }
        }
    }

    /** Sends any bytes on K2U to the daemon, as a broken kernel might; nothing is awaited. */
    public void sendRawEvent(byte[] datagram) throws IOException {
        int pid = daemonPid;
        SocketAddress to = pid == 0 ? null : k2uBound.get(pid);
        if (to != null) {
            k2u.send(new DatagramPacket(datagram, datagram.length, to));
        }
    }

    // ---- the kernel side

    private void serve() {
        byte[] buf = new byte[NlCodec.MAX_DATAGRAM + 64];
        while (running) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                u2k.receive(p);
            } catch (IOException e) {
                return;
            }
            if (p.getLength() == UdpTransport.BIND_LENGTH) {
                bind(u2kBound, p);
                acceptEventBinds();
                continue;
            }
            if (!loaded) {
                continue;
            }
            try {
                handle(NlCodec.decode(buf, p.getLength()));
            } catch (WireException e) {
                // the module reads one header and trusts dataSize; a datagram shorter than that is dropped
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void bind(Map<Integer, SocketAddress> table, DatagramPacket p) {
        int pid = ByteBuffer.wrap(p.getData(), 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        table.put(pid, p.getSocketAddress());
    }

    /** Binds sent to K2U (the daemon's bind(2)) before an event: read without waiting; late answers are dropped. */
    private void acceptEventBinds() {
        synchronized (eventLock) {
            byte[] b = new byte[NlCodec.MAX_DATAGRAM];
            try {
                k2u.setSoTimeout(1);
                while (true) {
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    k2u.receive(p);
                    if (p.getLength() == UdpTransport.BIND_LENGTH) {
                        bind(k2uBound, p);
                    }
                }
            } catch (IOException e) {
                // nothing more queued
            }
        }
    }

    private void handle(NlMessage m) throws IOException {
        synchronized (this) {
            commands.add(MsgId.name(m.id()));
        }
        if (m.id() == MsgId.HELLO) {
            daemonPid = m.pid(); // kept without checking who sent it, as the kernel does
            reply(m.id(), 0, new byte[0]);
            sendEvent(MsgId.HELLO, new byte[0]);
            return;
        }
        if (m.id() == MsgId.BYE) {
            reply(m.id(), 0, new byte[0]);
            sendEvent(MsgId.BYE, new byte[0]);
            daemonPid = 0;
            return;
        }
        Result r = execute(m);
        reply(m.id(), r.err, r.payload);
    }

    private record Result(int err, byte[] payload) {
        static final Result OK = new Result(0, new byte[0]);

        static Result error(int code) {
            return new Result(code, new byte[0]);
        }
    }

    private synchronized Result execute(NlMessage m) {
        byte[] p = m.payload();
        switch (m.id()) {
            case MsgId.START, MsgId.STOP:
                return Result.OK;
            case MsgId.RESET:
                streams.clear();
                return Result.OK;
            case MsgId.START_IO, MsgId.STOP_IO:
                return abi == Abi.ABI_1 ? Result.error(-401) : Result.OK;
            case MsgId.SET_SAMPLE_RATE:
                if (p.length != 4) {
                    return Result.error(-315);
                }
                if (m.int32() != 0) {
                    sampleRate = m.int32();
                }
                return Result.OK;
            case MsgId.GET_SAMPLE_RATE:
                return new Result(0, NlCodec.int32(sampleRate));
            case MsgId.GET_AUDIO_MODE:
                return new Result(0, NlCodec.int32(0));
            case MsgId.SET_DSD_AUDIO_MODE:
                return p.length != 4 ? Result.error(-315) : m.int32() < 2 || m.int32() > 4 ? Result.error(-805)
                        : Result.OK;
            case MsgId.SET_TIC_FRAME_SIZE_AT_1FS, MsgId.SET_MAX_TIC_FRAME_SIZE:
                if (p.length != 8) {
                    return Result.error(-315);
                }
                if (m.id() == MsgId.SET_TIC_FRAME_SIZE_AT_1FS) {
                    ticFrameSize = m.int64();
                } else {
                    maxTicFrameSize = m.int64();
                }
                return Result.OK;
            case MsgId.SET_NUMBER_OF_INPUTS, MsgId.SET_NUMBER_OF_OUTPUTS, MsgId.SET_MASTER_OUTPUT_SWITCH,
                    MsgId.SET_CAPTURE_DELAY:
                return p.length != 4 ? Result.error(-315) : Result.OK;
            case MsgId.SET_MASTER_OUTPUT_VOLUME:
                if (p.length != 4) {
                    return Result.error(-315);
                }
                volume = m.int32();
                return Result.OK;
            case MsgId.GET_NUMBER_OF_INPUTS, MsgId.GET_NUMBER_OF_OUTPUTS:
                return new Result(0, NlCodec.int32(64));
            case MsgId.SET_INTERFACE_NAME:
                if (p.length == 0 || p.length > 32 || p[p.length - 1] != 0) {
                    return Result.error(-315);
                }
                interfaceName = new String(p, 0, p.length - 1, StandardCharsets.US_ASCII);
                return abi == Abi.ABI_1 && interfaceName.contains(",") ? Result.error(-401) : Result.OK;
            case MsgId.ADD_RTP_STREAM:
                return add(p);
            case MsgId.REMOVE_RTP_STREAM:
                if (p.length != 8) {
                    return Result.error(-315);
                }
                return streams.remove(m.int64()) == null ? Result.error(-401) : Result.OK;
            case MsgId.UPDATE_RTP_STREAM_NAME:
                return Result.error(-404);
            case MsgId.SET_PLAYOUT_DELAY:
                if (p.length != 4) {
                    return Result.error(-315);
                }
                playoutDelay = m.int32();
                return Result.OK;
            case MsgId.GET_RTP_STREAM_STATUS: {
                // errCode is always 0: an unknown handle gets whatever bytes happen to be there
                StreamInfo s = p.length == 8 ? streams.get(m.int64()) : null;
                return new Result(0, s == null ? StreamStatus.encode(0xA5A5A5A5, 0xA5A5A5A5)
                        : StreamStatus.encode(sinkFlags, s.frameSize()));
            }
            case MsgId.SET_PTP_CONFIG:
                if (p.length != ModulePtpConfig.SIZE) {
                    return Result.error(-315);
                }
                try {
                    ptpConfig = ModulePtpConfig.decode(p);
                } catch (WireException e) {
                    return Result.error(-315);
                }
                return Result.OK;
            case MsgId.GET_PTP_CONFIG:
                return new Result(0, ptpConfig.encode());
            case MsgId.GET_PTP_STATUS:
                return new Result(0, ptpStatus.encode(abi));
            default:
                return Result.error(-314); // GetPTPInfo, Ping, the Get...Output events sent as commands, >= 33
        }
    }

    /** Add_RTPStream with the module's checks (spec §2-3): −315 size, −401 size field, validation or no slot. */
    private Result add(byte[] p) {
        if (p.length != abi.streamInfoSize) {
            return Result.error(-315);
        }
        StreamInfo s;
        try {
            s = StreamInfo.decode(p, abi);
        } catch (WireException e) {
            return Result.error(-401);
        }
        if (!valid(s) || streams.values().stream().filter(o -> o.source() == s.source()).count() >= 64) {
            return Result.error(-401);
        }
        long handle = HANDLE_BASE + (nextHandle++ << 12);
        streams.put(handle, s);
        return new Result(0, NlCodec.int64(handle));
    }

    private static final Set<String> CODECS =
            Set.of("L16", "L24", "L2432", "AM824", "DSD64", "DSD128", "DSD64_32", "DSD128_32", "DSD256");

    static boolean valid(StreamInfo s) {
        boolean common = !s.name().isEmpty() && CODECS.contains(s.codec())
                && StreamInfo.wordLength(s.codec()) == s.wordLength() && s.channels() >= 1 && s.channels() <= 64
                && s.samplingRate() != 0 && s.rtcpSrcIp() != 0;
        if (!s.source()) {
            return common && s.playoutDelay() >= s.frameSize();
        }
        int port = s.destPort();
        return common && s.srcIp() != 0 && s.maxSamplesPerPacket() > 0
                && s.maxSamplesPerPacket() * s.channels() * s.wordLength() <= 1460
                && (port == 6517 || port >= 1024 && port % 2 == 0);
    }

    private void reply(int id, int err, byte[] payload) throws IOException {
        int pid = daemonPid;
        SocketAddress to = pid == 0 ? null : u2kBound.get(pid);
        if (to == null) {
            return; // before Hello the kernel drops its replies
        }
        if (dropReplies > 0) {
            dropReplies--;
            return;
        }
        byte[] garbage = garbageReply;
        if (garbage != null) {
            garbageReply = null;
            u2k.send(new DatagramPacket(garbage, garbage.length, to));
            return;
        }
        if (staleReplyFirst) {
            staleReplyFirst = false;
            byte[] stale = padded(NlCodec.encode(0, MsgId.GET_SAMPLE_RATE, 0, NlCodec.int32(sampleRate)));
            u2k.send(new DatagramPacket(stale, stale.length, to));
        }
        byte[] d = padded(NlCodec.encode(0, id, err, err == 0 ? payload : new byte[0]));
        u2k.send(new DatagramPacket(d, d.length, to));
    }

    /** As the kernel: the datagram padded to 4, undefined bytes in the header's padding and pointer. */
    private static byte[] padded(byte[] m) {
        byte[] d = Arrays.copyOf(m, (m.length + 3) & ~3);
        Arrays.fill(d, 28, 40, (byte) 0x5A);
        return d;
    }

    public int volume() {
        return volume;
    }

    @Override
    public void close() {
        running = false;
        u2k.close();
        k2u.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
