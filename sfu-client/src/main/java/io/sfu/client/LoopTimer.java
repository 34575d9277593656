package io.sfu.client;

/**
 * A reusable one-shot timer on a {@link ClientIoLoop}: runs its action on the loop thread once its deadline has
 * passed. A periodic task (a media generator pacing frames, say) schedules its timer again from the action;
 * nothing is allocated per firing. An action that throws is logged and counted like a failed task. Every method
 * must be called on the loop thread.
 */
public final class LoopTimer {
    private final ClientIoLoop loop;
    private final Runnable action;
    private final TimerQueue.Entry entry = new TimerQueue.Entry() {
        @Override
        void onTimer(long nowNs) {
            try {
                action.run();
            } catch (RuntimeException e) {
                loop.taskFailed(e);
            }
        }
    };

    LoopTimer(ClientIoLoop loop, Runnable action) {
        this.loop = loop;
        this.action = action;
    }

    /** Fires at {@code deadlineNs} ({@link ClientIoLoop#nanoTime()} scale), replacing an earlier schedule. */
    public void scheduleAt(long deadlineNs) {
        loop.timers().schedule(entry, deadlineNs);
    }

    /** Fires {@code delayNs} from now, replacing an earlier schedule. */
    public void scheduleIn(long delayNs) {
        scheduleAt(loop.nanoTime() + delayNs);
    }

    /** Stops a pending firing. */
    public void cancel() {
        loop.timers().cancel(entry);
    }

    /** Whether a firing is pending. */
    public boolean isScheduled() {
        return entry.isQueued();
    }

    /** The pending deadline; meaningful only while {@link #isScheduled()}. */
    public long deadlineNs() {
        return entry.deadlineNs;
    }
}
