package org.aes67d.driver.netlink.internal.wire;

/** The module's message ids ({@code MT_ALSA_msg_id}: declaration order from 0). */
public final class MsgId {
    public static final int START = 0;
    public static final int STOP = 1;
    public static final int RESET = 2;
    public static final int START_IO = 3;
    public static final int STOP_IO = 4;
    public static final int SET_SAMPLE_RATE = 5;
    public static final int GET_SAMPLE_RATE = 6;
    public static final int GET_AUDIO_MODE = 7;
    public static final int SET_DSD_AUDIO_MODE = 8;
    public static final int SET_TIC_FRAME_SIZE_AT_1FS = 9;
    public static final int SET_MAX_TIC_FRAME_SIZE = 10;
    public static final int SET_NUMBER_OF_INPUTS = 11;
    public static final int SET_NUMBER_OF_OUTPUTS = 12;
    public static final int GET_NUMBER_OF_INPUTS = 13;
    public static final int GET_NUMBER_OF_OUTPUTS = 14;
    public static final int SET_INTERFACE_NAME = 15;
    public static final int ADD_RTP_STREAM = 16;
    public static final int REMOVE_RTP_STREAM = 17;
    public static final int UPDATE_RTP_STREAM_NAME = 18;
    public static final int GET_PTP_INFO = 19;
    public static final int HELLO = 20;
    public static final int BYE = 21;
    public static final int PING = 22;
    public static final int SET_MASTER_OUTPUT_VOLUME = 23;
    public static final int SET_MASTER_OUTPUT_SWITCH = 24;
    public static final int GET_MASTER_OUTPUT_VOLUME = 25;
    public static final int GET_MASTER_OUTPUT_SWITCH = 26;
    public static final int SET_PLAYOUT_DELAY = 27;
    public static final int SET_CAPTURE_DELAY = 28;
    public static final int GET_RTP_STREAM_STATUS = 29;
    public static final int SET_PTP_CONFIG = 30;
    public static final int GET_PTP_CONFIG = 31;
    public static final int GET_PTP_STATUS = 32;

    private static final String[] NAMES = {"Start", "Stop", "Reset", "StartIO", "StopIO", "SetSampleRate",
        "GetSampleRate", "GetAudioMode", "SetDSDAudioMode", "SetTICFrameSizeAt1FS", "SetMaxTICFrameSize",
        "SetNumberOfInputs", "SetNumberOfOutputs", "GetNumberOfInputs", "GetNumberOfOutputs", "SetInterfaceName",
        "Add_RTPStream", "Remove_RTPStream", "Update_RTPStream_Name", "GetPTPInfo", "Hello", "Bye", "Ping",
        "SetMasterOutputVolume", "SetMasterOutputSwitch", "GetMasterOutputVolume", "GetMasterOutputSwitch",
        "SetPlayoutDelay", "SetCaptureDelay", "GetRTPStreamStatus", "SetPTPConfig", "GetPTPConfig",
        "GetPTPStatus"};

    private MsgId() {
    }

    /** The id's name for logs and errors, {@code "id 77"} when unknown. */
    public static String name(int id) {
        return id >= 0 && id < NAMES.length ? NAMES[id] : "id " + id;
    }
}
