package org.aes67d.api.ptp;

import org.osgi.annotation.versioning.ConsumerType;

/** Whiteboard: registered listeners are told of every lock state change, on a control thread. */
@ConsumerType
public interface PtpStatusListener {
    void ptpStatusChanged(PtpStatus status);
}
