package dev.rungate.concurrent;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's bounded worker pools: at most {@code threads} named daemon threads, an unbounded
 * queue behind them, and no thread kept once idle for {@code keepAlive} (an idle replica holds
 * none).
 */
public final class DaemonPools {
  private DaemonPools() {}

  public static ThreadPoolExecutor bounded(String name, int threads, Duration keepAlive) {
    AtomicInteger n = new AtomicInteger();
    var pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
