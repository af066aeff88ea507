package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ModelPackage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The driver-side parts of the batch job: spreading calls over tasks, label columns, options. */
class BatchPartsTest {
  @Test
  void callsAreSpreadByBytesDeterministicallyAndEachExactlyOnce() {
    Random r = new Random(11);
    List<CallTask> tasks = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      long bytes = i == 7 ? -1 : 1000 + r.nextInt(5_000_000);
      tasks.add(CallTask.of("/a/" + i + ".wav", String.format("call-%03d", i), null, "downmix", null, bytes));
    }
    List<List<CallTask>> groups = BatchJob.spread(tasks, 8);
    assertThat(groups).hasSize(8);
    assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(101);
    assertThat(groups.stream().flatMap(List::stream).map(CallTask::callId).distinct().count()).isEqualTo(101);
    long[] loads = groups.stream().mapToLong(g -> g.stream().mapToLong(t -> Math.max(0, t.bytes())).sum()).toArray();
    long max = java.util.Arrays.stream(loads).max().orElseThrow();
    long min = java.util.Arrays.stream(loads).min().orElseThrow();
    long biggest = tasks.stream().mapToLong(CallTask::bytes).max().orElseThrow();
    // Largest-first greedy: no task carries more than the lightest one plus one file.
    assertThat(max - min).isLessThanOrEqualTo(biggest);
    for (List<CallTask> g : groups) {
      assertThat(g).isSortedAccordingTo(java.util.Comparator.comparing(CallTask::callId));
    }
    List<CallTask> shuffled = new ArrayList<>(tasks);
    java.util.Collections.shuffle(shuffled, new Random(3));
    assertThat(BatchJob.spread(shuffled, 8)).isEqualTo(groups);
    assertThat(BatchJob.spread(List.of(), 8)).containsExactly(List.of());
    assertThat(BatchJob.spread(tasks.subList(0, 3), 8)).hasSize(3);
  }

  @Test
  void defaultPartitionsGiveFourTasksPerCoreAndAtMost250CallsATask() {
    assertThat(BatchJob.defaultPartitions(0, 2)).isEqualTo(1);
    assertThat(BatchJob.defaultPartitions(3, 2)).isEqualTo(3);
    assertThat(BatchJob.defaultPartitions(100, 2)).isEqualTo(8);
    assertThat(BatchJob.defaultPartitions(10_000, 2)).isEqualTo(40);
    assertThat(BatchJob.defaultPartitions(10_001, 64)).isEqualTo(256);
  }

  @Test
  void labelColumnsFollowTheManifestAndAreSafeNames() {
    LabelColumns columns = new LabelColumns(ModelPackage.bundledDefault().manifest());
    assertThat(columns.suffix(0)).isEqualTo("not_negative");
    assertThat(columns.indexOf("negative", "negative")).isEqualTo(1);
    assertThat(columns.indexOf("emotion", "negative")).isEqualTo(-1);
    assertThat(LabelColumns.sanitise("Fear/恐惧 x")).isEqualTo("fear____x");
  }

  @Test
  void optionsAreValidatedWithTheFieldNamed() {
    assertThat(BatchOptions.builder("in", "out").channel("0,1").build().channel()).isEqualTo("0,1");
    assertThatThrownBy(() -> BatchOptions.builder("in", "out").threadsPerTask(0).build())
        .hasMessageContaining("threadsPerTask");
    assertThatThrownBy(() -> BatchOptions.builder("in", "out").negativeThreshold(1).build())
        .hasMessageContaining("negativeThreshold");
    assertThatThrownBy(() -> BatchOptions.builder("in", "out").channel("both").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'both'");
    assertThatThrownBy(() -> BatchOptions.builder(" ", "out").build()).hasMessageContaining("input");
    assertThat(InputListing.withoutExtension("a/b.c/d")).isEqualTo("a/b.c/d");
    assertThat(InputListing.withoutExtension("a/b/.hidden")).isEqualTo("a/b/.hidden");
    assertThat(InputListing.withoutExtension("2026/01/x.WAV")).isEqualTo("2026/01/x");
  }
}
