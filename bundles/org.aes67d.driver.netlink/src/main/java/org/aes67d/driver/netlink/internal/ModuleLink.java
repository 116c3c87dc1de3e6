package org.aes67d.driver.netlink.internal;

import java.io.IOException;

import org.aes67d.driver.netlink.internal.transport.NlSocket;
import org.aes67d.driver.netlink.internal.transport.NlTransport;
import org.aes67d.driver.netlink.internal.wire.MsgId;
import org.aes67d.driver.netlink.internal.wire.ModuleError;
import org.aes67d.driver.netlink.internal.wire.NlCodec;
import org.aes67d.driver.netlink.internal.wire.NlMessage;
import org.aes67d.driver.netlink.internal.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two sockets to the module: one command at a time on U2K (send, then wait up to the timeout for the reply of
 * the same id), and a thread that answers every event on K2U at once. The event thread takes no lock a command
 * holds: the module handles some commands (Hello, Bye) inside {@code sendmsg} by sending an event and waiting for
 * its answer.
 */
final class ModuleLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleLink.class);

    private final NlTransport transport;
    private final ModuleEvents events;
    private final int timeoutMillis;
    private final Object commandLock = new Object();
    private final byte[] replyBuf = new byte[NlCodec.MAX_DATAGRAM];
    private NlSocket commands;
    private NlSocket eventSocket;
    private Thread eventThread;
    private volatile boolean open;
    private volatile long eventsAnswered;
    private volatile int lastAnsweredId = -1;
    private final Object answered = new Object();

    ModuleLink(NlTransport transport, ModuleEvents events, int timeoutMillis) {
        this.transport = transport;
        this.events = events;
        this.timeoutMillis = timeoutMillis;
    }

    /** Opens both sockets and starts answering events, all before any command (Hello itself triggers an event). */
    void open() throws IOException {
        commands = transport.open(NlCodec.PROTO_U2K);
        try {
            eventSocket = transport.open(NlCodec.PROTO_K2U);
        } catch (IOException e) {
            close();
            throw e;
        }
        open = true;
        eventThread = new Thread(this::answerEvents, "netlink-events");
        eventThread.setDaemon(true);
        eventThread.start();
    }

    /**
     * Sends one command and returns the successful reply.
     *
     * @throws ModuleError the module's error code, or the daemon's: 61 send failed, 63 no reply in time, 65 only
     *         replies of other ids or malformed ones
     */
    NlMessage command(int id, byte[] payload) throws ModuleError {
        String name = MsgId.name(id);
        if (payload.length > NlCodec.MAX_PAYLOAD) {
            throw new ModuleError(ModuleError.SEND_INVALID_SIZE, name, payload.length + " bytes");
        }
        byte[] datagram = NlCodec.encode(transport.portId(), id, 0, payload);
        synchronized (commandLock) {
            NlSocket s = commands;
            if (s == null || !open) {
                throw new ModuleError(ModuleError.SEND_U2K_FAILED, name, "not connected");
            }
            try {
                drainStale(s);
                s.send(datagram);
            } catch (IOException e) {
                throw new ModuleError(ModuleError.SEND_U2K_FAILED, name, e.getMessage());
            }
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            String wrong = null;
            while (true) {
                int left = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                int n;
                try {
                    n = left == 0 ? -1 : s.receive(replyBuf, left);
                } catch (IOException e) {
                    throw new ModuleError(ModuleError.RECEIVE_U2K_FAILED, name, e.getMessage());
                }
                if (n < 0) {
                    if (wrong != null) {
                        throw new ModuleError(ModuleError.INVALID_DRIVER_RESPONSE, name, wrong);
                    }
                    throw new ModuleError(ModuleError.RECEIVE_U2K_FAILED, name,
                            "no reply within " + timeoutMillis + " ms");
                }
                NlMessage reply;
                try {
                    reply = NlCodec.decode(replyBuf, n);
                } catch (WireException e) {
                    wrong = e.getMessage();
                    LOG.warn("{}: malformed reply skipped: {}", name, wrong);
                    continue;
                }
                if (reply.id() != id) {
                    // A late reply to an earlier command that timed out: skip it, so we stay in step.
                    wrong = "reply to " + MsgId.name(reply.id()) + " instead";
                    LOG.debug("{}: stale reply to {} skipped", name, MsgId.name(reply.id()));
                    continue;
                }
                if (reply.errCode() != 0) {
                    throw new ModuleError(reply.errCode(), name, null);
                }
                return reply;
            }
        }
    }

    /** Replies nobody waits for any more (their command timed out) are dropped before the next command. */
    private void drainStale(NlSocket s) throws IOException {
        while (s.receive(replyBuf, 0) >= 0) {
            LOG.debug("stale reply dropped");
        }
    }

    long eventsAnswered() {
        return eventsAnswered;
    }

    /**
     * Waits until an event of this id has been answered since {@code since} answers (the module blocks in Bye until
     * its event is answered, so the sockets must stay open that long).
     */
    boolean awaitAnswer(int id, long since, int millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        synchronized (answered) {
            while (!(eventsAnswered > since && lastAnsweredId == id)) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return false;
                }
                answered.wait(left);
            }
            return true;
        }
    }

    private void answerEvents() {
        byte[] buf = new byte[NlCodec.MAX_DATAGRAM];
        long malformed = 0;
        while (open) {
            int n;
            try {
                // 1 s like the C++ daemon: only to notice close()
                n = eventSocket.receive(buf, 1000);
            } catch (IOException e) {
                if (open) {
                    LOG.warn("netlink event socket failed: {}", e.getMessage());
                }
                return;
            }
            if (n < 0) {
                continue;
            }
            NlMessage event;
            try {
                event = NlCodec.decode(buf, n);
            } catch (WireException e) {
                if ((malformed++ & 63) == 0) {
                    LOG.warn("malformed module event ignored ({} so far): {}", malformed, e.getMessage());
                }
                continue;
            }
            if (event.errCode() != 0) {
                continue; // as the C++ daemon: only events with errCode 0 are answered
            }
            byte[] answer = events.answer(event);
            try {
                eventSocket.send(NlCodec.encode(transport.portId(), event.id(), 0, answer));
                synchronized (answered) {
                    lastAnsweredId = event.id();
                    eventsAnswered++;
                    answered.notifyAll();
                }
            } catch (IOException e) {
                LOG.warn("cannot answer module event {}: {}", MsgId.name(event.id()), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        open = false;
        for (NlSocket s : new NlSocket[] {commands, eventSocket}) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("close: {}", e.toString());
                }
            }
        }
        Thread t = eventThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
