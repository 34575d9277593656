package io.sfu.core.rtcp;

import static io.sfu.core.rtcp.TransportCcFeedback.STATUS_LARGE_DELTA;

/**
 * Encodes the packet status symbols of a transport-wide feedback packet into its status chunks
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3, §3.1.4), greedily, keeping one open chunk: a symbol
 * joins it while some chunk form can still hold every symbol in it (up to 7 of any symbol as a two-bit vector, up to
 * 14 "not received"/"small delta" as a one-bit vector, or a run of one symbol up to 8191); otherwise the open chunk
 * is written out first, as a run if its symbols are all equal, as a one-bit vector if it is full, else as a two-bit
 * vector of its first seven. Its state can be copied, so that a caller can roll back symbols that did not fit.
 */
final class StatusChunkEncoder {
    private static final int MAX_RUN_LENGTH = 0x1FFF;
    private static final int ONE_BIT_CAPACITY = 14;
    private static final int TWO_BIT_CAPACITY = 7;

    /** Where chunks are written; shared by encoders that are copies of one another. */
    private final short[] chunks;
    private int chunkCount;
    private final int[] open = new int[ONE_BIT_CAPACITY];
    private int openCount;
    private boolean openAllSame;
    private boolean openHasLarge;

    StatusChunkEncoder(short[] chunks) {
        this.chunks = chunks;
    }

    /** Starts a new packet: no chunk written, none open. */
    void reset() {
        chunkCount = 0;
        openCount = 0;
    }

    /** Chunks written so far, the open one not included; may exceed the array (the packet then cannot fit). */
    int chunkCount() {
        return chunkCount;
    }

    /** Takes the state of {@code other}; chunks already in the shared array stay where they are. */
    void copyFrom(StatusChunkEncoder other) {
        chunkCount = other.chunkCount;
        openCount = other.openCount;
        openAllSame = other.openAllSame;
        openHasLarge = other.openHasLarge;
        System.arraycopy(other.open, 0, open, 0, ONE_BIT_CAPACITY);
    }

    /** Adds {@code count} symbols {@code status} (a run of packets not received, say). */
    void addRun(int status, long count) {
        long remaining = count;
        while (remaining > 0) {
            if (openCount == 0 || (openAllSame && open[0] == status && openCount >= ONE_BIT_CAPACITY)) {
                // a run of one symbol: extend it in bulk instead of symbol by symbol
                if (openCount == MAX_RUN_LENGTH) {
                    close();
                }
                int take = (int) Math.min(remaining, MAX_RUN_LENGTH - openCount);
                for (int i = openCount; i < Math.min(openCount + take, ONE_BIT_CAPACITY); i++) {
                    open[i] = status;
                }
                openAllSame = true;
                openHasLarge = status == STATUS_LARGE_DELTA;
                openCount += take;
                remaining -= take;
            } else {
                add(status);
                remaining--;
            }
        }
    }

    /** Adds one symbol. */
    void add(int status) {
        if (!fits(status)) {
            emitFull();
        }
        if (openCount < ONE_BIT_CAPACITY) {
            open[openCount] = status;
        }
        openAllSame = openCount == 0 || (openAllSame && open[0] == status);
        openHasLarge |= status == STATUS_LARGE_DELTA;
        openCount++;
    }

    /** Whether the open chunk can take {@code status} and still be encodable as one chunk. */
    private boolean fits(int status) {
        if (openCount < TWO_BIT_CAPACITY) {
            return true;
        }
        if (openCount < ONE_BIT_CAPACITY && !openHasLarge && status != STATUS_LARGE_DELTA) {
            return true;
        }
        return openAllSame && open[0] == status && openCount < MAX_RUN_LENGTH;
    }

    /** Writes out a full open chunk; a two-bit vector keeps the symbols after its first seven open. */
    private void emitFull() {
        if (openAllSame) {
            store(runLengthChunk());
            openCount = 0;
        } else if (openCount == ONE_BIT_CAPACITY) {
            store(oneBitChunk());
            openCount = 0;
        } else {
            store(twoBitChunk(TWO_BIT_CAPACITY));
            openCount -= TWO_BIT_CAPACITY;
            System.arraycopy(open, TWO_BIT_CAPACITY, open, 0, openCount);
            openAllSame = true;
            openHasLarge = false;
            for (int i = 0; i < openCount; i++) {
                openAllSame &= open[i] == open[0];
                openHasLarge |= open[i] == STATUS_LARGE_DELTA;
            }
        }
    }

    /** Writes out whatever is open, in the smallest form that holds it. */
    void close() {
        if (openCount == 0) {
            return;
        }
        if (openAllSame) {
            store(runLengthChunk());
        } else if (openCount <= TWO_BIT_CAPACITY) {
            store(twoBitChunk(openCount));
        } else {
            store(oneBitChunk());
        }
        openCount = 0;
    }

    private short runLengthChunk() {
        return (short) ((open[0] << 13) | openCount);
    }

    private short oneBitChunk() {
        int chunk = 0x8000;
        for (int i = 0; i < openCount; i++) {
            chunk |= open[i] << (13 - i);
        }
        return (short) chunk;
    }

    private short twoBitChunk(int symbols) {
        int chunk = 0xC000;
        for (int i = 0; i < symbols; i++) {
            chunk |= open[i] << (12 - 2 * i);
        }
        return (short) chunk;
    }

    private void store(short chunk) {
        // past the array the packet cannot fit anyway: the size check after this symbol rolls it back
        if (chunkCount < chunks.length) {
            chunks[chunkCount] = chunk;
        }
        chunkCount++;
    }
}
