package io.sfu.core.media;

import io.sfu.core.dtls.DtlsEndpoint;
import io.sfu.core.dtls.DtlsRole;

/** The DTLS side of a data channel association: where its SCTP packets go, and where they come from. */
interface DataTransport {

    /** Whether we are the DTLS client, which decides the parity of the stream ids we open (RFC 8832 §6). */
    boolean dtlsClient();

    /** Sends one SCTP packet; false when it could not be sent. */
    boolean send(byte[] buf, int off, int len);

    /** From now on the SCTP packets received go to {@code listener} (null: they are dropped). */
    void receiveWith(DtlsEndpoint.ApplicationDataListener listener);

    /** The application data of a connected DTLS endpoint. */
    static DataTransport of(DtlsEndpoint dtls) {
        return new DataTransport() {
            @Override
            public boolean dtlsClient() {
                return dtls.role() == DtlsRole.CLIENT;
            }

            @Override
            public boolean send(byte[] buf, int off, int len) {
                return dtls.sendApplicationData(buf, off, len);
            }

            @Override
            public void receiveWith(DtlsEndpoint.ApplicationDataListener listener) {
                dtls.setApplicationDataListener(listener);
            }
        };
    }
}
