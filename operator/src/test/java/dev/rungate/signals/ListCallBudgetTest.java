package dev.rungate.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The backfill's ListLogEntries budget: a catch-up pages once a second, never more than the
 * minute's calls.
 */
class ListCallBudgetTest {
  /** The times (ms) at which a backfill asking every 100 ms for {@code millis} gets a call. */
  private static List<Long> calls(ListCallBudget budget, long millis) {
    List<Long> taken = new ArrayList<>();
    for (long t = 0; t < millis; t += 100) {
      if (budget.take(t)) {
        taken.add(t);
      }
    }
    return taken;
  }

  @Test
  void aCatchUpPagesOnceASecondUntilTheMinutesCallsAreUsed() {
    List<Long> taken = calls(new ListCallBudget(20, 1000), 180_000);
    assertThat(taken.subList(0, 20))
        .as("the first twenty, a second apart")
        .containsExactly(
            0L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L, 7000L, 8000L, 9000L, 10_000L, 11_000L,
            12_000L, 13_000L, 14_000L, 15_000L, 16_000L, 17_000L, 18_000L, 19_000L);
    assertThat(taken.get(20))
        .as("then the next only when the first leaves the minute")
        .isEqualTo(60_000L);
    for (int i = 0; i < taken.size(); i++) { // never more than 20 in any 60 s
      long start = taken.get(i);
      assertThat(taken.stream().filter(t -> t >= start && t < start + 60_000).count())
          .isLessThanOrEqualTo(20);
    }
  }

  @Test
  void afterARefusedCallItWaitsFiveSeconds() {
    ListCallBudget budget = new ListCallBudget(20, 1000);
    assertThat(budget.take(0)).isTrue();
    budget.failed(0);
    assertThat(budget.take(1000)).isFalse();
    assertThat(budget.take(4900)).isFalse();
    assertThat(budget.take(5000)).isTrue();
  }

  @Test
  void moreThanCloudLoggingsQuotaIsRefused() {
    assertThatThrownBy(() -> new ListCallBudget(61, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("quota");
  }
}
