package org.aes67d.driver.netlink.internal.wire;

/**
 * A failed command, with the C++ daemon's code, text and REST status. Negative codes are the module's errCode
 * (mapped to {@code DriverErrc} 10..17, category "driver"); positive ones are the daemon's own (60 and up, category
 * "daemon"). The C++ daemon answers 400 only for "command failed" (−401: the module refused what was asked) and
 * 500 for everything else.
 */
public class ModuleError extends Exception {
    private static final long serialVersionUID = 1L;

    /** Payload bigger than {@code MAX_PAYLOAD}. */
    public static final int SEND_INVALID_SIZE = 60;
    /** {@code sendmsg} on U2K failed (the module is gone). */
    public static final int SEND_U2K_FAILED = 61;
    /** Answering an event failed. */
    public static final int SEND_K2U_FAILED = 62;
    /** No reply within 1 s. */
    public static final int RECEIVE_U2K_FAILED = 63;
    /** Reply with another id, or bytes that are not a message. */
    public static final int INVALID_DRIVER_RESPONSE = 65;

    private final int code;
    private final String command;

    public ModuleError(int code, String command, String detail) {
        super(command + ": " + text(code) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.code = code;
        this.command = command;
    }

    /** The module's negative errCode, or the daemon's positive code. */
    public int code() {
        return code;
    }

    public String command() {
        return command;
    }

    /** "driver" for module codes, "daemon" for ours, as the C++ daemon's error categories. */
    public String category() {
        return code < 0 ? "driver" : "daemon";
    }

    /** True when the C++ daemon answers 400 (−401 command failed), false for 500. */
    public boolean clientError() {
        return code == -401;
    }

    /** {@code DriverErrc} of a module code (10 = unhandled). */
    public static int driverErrc(int errCode) {
        return switch (errCode) {
            case -302 -> 17;
            case -303 -> 16;
            case -314 -> 15;
            case -315 -> 11;
            case -401 -> 13;
            case -404 -> 14;
            case -805 -> 12;
            default -> 10;
        };
    }

    /** The C++ daemon's message for a code. */
    public static String text(int code) {
        if (code < 0) {
            return switch (driverErrc(code)) {
                case 11 -> "invalid data size";
                case 12 -> "invalid value specified";
                case 13 -> "command failed";
                case 14 -> "command not found";
                case 15 -> "unknown command";
                case 16, 17 -> "invalid daemon response";
                default -> "unhandled error code " + code;
            };
        }
        return switch (code) {
            case SEND_INVALID_SIZE -> "send data size too big";
            case SEND_U2K_FAILED -> "failed to send command to driver";
            case SEND_K2U_FAILED -> "failed to send event response to driver";
            case RECEIVE_U2K_FAILED -> "failed to receive response from driver";
            case INVALID_DRIVER_RESPONSE -> "unexpected driver command response code";
            default -> "(unrecognized daemon error)";
        };
    }

    /** The REST body part after the context, e.g. {@code (driver) command failed}. */
    public String restText() {
        return "(" + category() + ") " + text(code);
    }
}
