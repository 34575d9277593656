package io.sfu.core.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/** Test fixture: a control thread that runs queued tasks only when the test says so. */
public final class QueueExecutor implements Executor {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** Runs tasks, including those they queue, until none is left (bounded, to catch endless loops). */
    public void runAll() {
        for (int i = 0; i < 10_000; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            task.run();
        }
        throw new AssertionError("tasks keep queueing themselves");
    }
}
