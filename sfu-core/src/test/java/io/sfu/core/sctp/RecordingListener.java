package io.sfu.core.sctp;

import java.util.ArrayList;
import java.util.List;

/** Records what an association tells its user, for assertions. */
final class RecordingListener implements SctpListener {
    record Message(int streamId, int ppid, boolean unordered, byte[] bytes) {
    }

    final List<Message> messages = new ArrayList<>();
    final List<Integer> incomingResets = new ArrayList<>();
    final List<Integer> outgoingResets = new ArrayList<>();
    boolean established;
    String closedReason;

    @Override
    public void onEstablished() {
        established = true;
    }

    @Override
    public void onMessage(int streamId, int ppid, boolean unordered, byte[] buf, int off, int len) {
        messages.add(new Message(streamId, ppid, unordered, java.util.Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void onIncomingStreamReset(int streamId) {
        incomingResets.add(streamId);
    }

    @Override
    public void onOutgoingStreamReset(int streamId) {
        outgoingResets.add(streamId);
    }

    @Override
    public void onClosed(String reason) {
        closedReason = reason;
    }
}
