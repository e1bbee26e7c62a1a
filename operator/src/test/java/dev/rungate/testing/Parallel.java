package dev.rungate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task per item on a few threads and waits for all; the first failure is thrown. */
public final class Parallel {
  public interface Task<T> {
    void run(T item) throws Exception;
  }

  private Parallel() {}

  public static <T> void each(int threads, List<T> items, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (T item : items) {
        done.add(
            pool.submit(
                () -> {
                  task.run(item);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
