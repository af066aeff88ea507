package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the job in local mode over a small EmoDB archive with broken files among the calls, and checks every
 * table against the recognizer's own answers for the same files.
 */
class BatchJobTest {
  @TempDir static Path dir;

  static SparkSession spark;
  static EmotionRecognizer direct;
  static Path archive;
  static Path manifest;
  /** call id -> [path, caller, channel, started_at] of the manifest. */
  static final Map<String, String[]> rows = new TreeMap<>();

  @BeforeAll
  static void setUp() throws IOException {
    archive = dir.resolve("archive");
    // Three callers with two calls each, one stereo call (caller and operator), and broken rows.
    String[][] mono = {
        {"03", "0", "2026-01-05T10:00"}, {"03", "4", "2026-02-09T21:30"},
        {"08", "0", "2026-01-11T08:15"}, {"08", "5", "2026-01-20T23:05"},
        {"09", "0", "2026-03-01T12:00"}, {"09", "3", "2026-03-02T12:00"}};
    for (int i = 0; i < mono.length; i++) {
      String[] m = mono[i];
      String id = "c" + m[0] + "-" + i;
      Path file = archive.resolve(m[0]).resolve(id + ".wav");
      Archive.writeMono(file, Archive.call(m[0], Integer.parseInt(m[1]), 4));
      rows.put(id, new String[] {archive.relativize(file).toString(), "caller-" + m[0], "", m[2]});
    }
    Path stereo = archive.resolve("stereo").resolve("two-party.wav");
    Archive.writeStereo(stereo, Archive.call("10", 0, 3), Archive.call("11", 0, 3));
    rows.put("two-party", new String[] {"stereo/two-party.wav", "caller-10", "0,1", "2026-01-01T00:00"});
    Files.createDirectories(archive.resolve("broken"));
    Archive.writeTruncated(archive.resolve("broken/truncated.wav"), archive.resolve("03/c03-0.wav"));
    rows.put("truncated", new String[] {"broken/truncated.wav", "caller-12", "", ""});
    Archive.writeImaAdpcm(archive.resolve("broken/adpcm.wav"));
    rows.put("adpcm", new String[] {"broken/adpcm.wav", "caller-12", "", ""});
    rows.put("missing", new String[] {"broken/never-recorded.wav", "caller-12", "", ""});
    rows.put("no-such-channel", new String[] {"09/c09-4.wav", "caller-09", "3", ""});
    manifest = writeManifest(archive.resolve("calls.csv"), rows);

    spark = SparkSession.builder().master("local[2]").appName("tingxin-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    direct = EmotionRecognizer.builder().model(ModelPackage.bundledDefault()).threads(1).prosody(true).build();
  }

  @AfterAll
  static void tearDown() {
    if (direct != null) {
      direct.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }

  static Path writeManifest(Path file, Map<String, String[]> manifestRows) throws IOException {
    StringBuilder csv = new StringBuilder("path,call_id,caller_id,channel,started_at\n");
    manifestRows.forEach((id, r) -> csv.append(r[0]).append(',').append(id).append(',').append(r[1]).append(',')
        .append(r[2].contains(",") ? "\"" + r[2] + "\"" : r[2]).append(',').append(r[3]).append('\n'));
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  static BatchOptions.Builder options(Path in, Path out) {
    return BatchOptions.builder(in.toString(), out.toString());
  }

  static List<Row> table(Path out, String name) {
    return spark.read().parquet(out.resolve(name).toString()).collectAsList();
  }

  /** What the recognizer itself says about a manifest row: the analysis, or the error code. */
  static Object directAnswer(String[] row) {
    Path file = archive.resolve(row[0]);
    try {
      return direct.analyze(AudioInput.file(file).channels(ChannelSelection.parse(row[2])));
    } catch (TingxinException e) {
      return e.code();
    }
  }

  @Test
  void tablesAgreeWithTheRecognizerAndEveryRowIsAccountedFor() {
    Path out = dir.resolve("out-manifest");
    int builtBefore = ExecutorRecognizers.built();
    List<long[]> progress = java.util.Collections.synchronizedList(new ArrayList<>());
    BatchReport report = BatchJob.run(spark, options(manifest, out).callers(true)
            .recognizer(BatchOptions.DEFAULT_RECOGNIZER.withProsody(true)).build(),
        (done, total, seconds) -> progress.add(new long[] {done, total}));
    // Progress (every 10 s) may or may not have been reported in a short run; what was reported is sane.
    assertThat(progress).allSatisfy(p -> assertThat(p[0]).isBetween(0L, p[1]));
    assertThat(ExecutorRecognizers.built() - builtBefore).as("recognizers built for a run of two tasks at a time")
        .isEqualTo(1);

    assertThat(report.run()).isEqualTo(1);
    assertThat(report.inputs()).isEqualTo(rows.size());
    assertThat(report.analysed() + report.failed()).isEqualTo(report.inputs());
    assertThat(report.failed()).isEqualTo(4);

    Map<String, Row> calls = byCallId(table(out, "calls"));
    Map<String, Row> errors = byCallId(table(out, "errors"));
    assertThat(calls.size() + errors.size()).as("rows in = calls + errors").isEqualTo(rows.size());
    Map<String, List<Row>> segments = table(out, "segments").stream()
        .collect(Collectors.groupingBy(r -> r.getAs("call_id")));

    long segmentTotal = 0;
    double audio = 0;
    for (Map.Entry<String, String[]> e : rows.entrySet()) {
      Object answer = directAnswer(e.getValue());
      if (answer instanceof ErrorCode code) {
        Row err = errors.get(e.getKey());
        assertThat(err).as("errors row of " + e.getKey()).isNotNull();
        assertThat((String) err.getAs("error_code")).as(e.getKey()).isEqualTo(code.name());
        assertThat((String) err.getAs("error_message")).isNotBlank();
        assertThat((String) err.getAs("caller_id")).isEqualTo(e.getValue()[1]);
        assertThat(calls).doesNotContainKey(e.getKey());
        continue;
      }
      CallAnalysis a = (CallAnalysis) answer;
      Row c = calls.get(e.getKey());
      assertThat(c).as("calls row of " + e.getKey()).isNotNull();
      assertCallRow(c, a, e.getValue());
      List<Row> seg = segments.getOrDefault(e.getKey(), List.of());
      assertSegments(e.getKey(), seg, a.segments());
      segmentTotal += a.segments().size();
      audio += a.durationSeconds();
    }
    assertThat(errors.keySet()).containsExactlyInAnyOrder("truncated", "adpcm", "missing", "no-such-channel");
    assertThat((String) errors.get("adpcm").getAs("error_code")).isEqualTo("UNSUPPORTED_ENCODING");
    assertThat((String) errors.get("missing").getAs("error_code")).isEqualTo("IO_ERROR");
    assertThat((String) errors.get("no-such-channel").getAs("error_code")).isEqualTo("INVALID_CHANNEL");
    assertThat(report.segments()).isEqualTo(segmentTotal).isGreaterThan(20);
    assertThat(report.audioSeconds()).isCloseTo(audio, within(1e-6));

    // The stereo call was analysed as caller and operator: both speakers have segments.
    assertThat(segments.get("two-party").stream().map(r -> (String) r.getAs("speaker")).distinct())
        .containsExactlyInAnyOrder("caller", "operator");
    assertThat((Integer) calls.get("two-party").getAs("operator_segments")).isPositive();
    assertThat((Object) calls.get("c03-0").getAs("operator_segments")).isNull();

    assertCallers(out, calls);
  }

  static void assertCallRow(Row c, CallAnalysis a, String[] manifestRow) {
    CallSummary s = a.caller();
    assertThat((String) c.getAs("caller_id")).isEqualTo(manifestRow[1]);
    assertThat((String) c.getAs("started_at")).isEqualTo(manifestRow[3]);
    assertThat((String) c.getAs("channel_selection")).isEqualTo(manifestRow[2].isEmpty() ? "downmix" : manifestRow[2]);
    assertThat((String) c.getAs("model")).isEqualTo(a.model());
    assertThat((Double) c.getAs("duration_s")).isEqualTo(a.durationSeconds());
    assertThat((Integer) c.getAs("segments")).isEqualTo(s.segments());
    assertThat((Integer) c.getAs("short_segments")).isEqualTo(s.shortSegments());
    assertThat((Double) c.getAs("speech_s")).isEqualTo(s.speechSeconds());
    assertThat((Double) c.getAs("negative_s")).isEqualTo(orNull(s.negativeSeconds()));
    assertThat((Double) c.getAs("negative_share")).isEqualTo(orNull(s.negativeShare()));
    assertThat((Double) c.getAs("longest_negative_run_s")).isEqualTo(orNull(s.longestNegativeRunSeconds()));
    assertThat((Double) c.getAs("trend_change")).isEqualTo(s.trend().map(CallSummary.Trend::change).orElse(null));
    assertThat((Double) c.getAs("changes_per_minute")).isEqualTo(orNull(s.changesPerMinute()));
    for (CallSummary.LabelSummary l : s.labels()) {
      assertThat((Double) c.getAs("mean_" + l.label().id())).as(l.label().id()).isEqualTo(orNull(l.mean()));
      assertThat((Double) c.getAs("max_" + l.label().id())).isEqualTo(orNull(l.max()));
      assertThat((Double) c.getAs("share_" + l.label().id())).isEqualTo(orNull(l.selectedShare()));
    }
    a.operator().ifPresent(o -> {
      assertThat((Integer) c.getAs("operator_segments")).isEqualTo(o.segments());
      assertThat((Double) c.getAs("operator_negative_share")).isEqualTo(orNull(o.negativeShare()));
    });
  }

  static void assertSegments(String callId, List<Row> rowsOfCall, List<SegmentResult> expected) {
    assertThat(rowsOfCall).as("segments of " + callId).hasSize(expected.size());
    List<Row> sorted = new ArrayList<>(rowsOfCall);
    sorted.sort(Comparator.comparingDouble((Row r) -> r.getAs("start_s"))
        .thenComparing(r -> (String) r.getAs("speaker")));
    List<SegmentResult> want = new ArrayList<>(expected);
    want.sort(Comparator.comparingDouble(SegmentResult::start).thenComparing(s -> s.speaker().name().toLowerCase()));
    for (int i = 0; i < want.size(); i++) {
      Row r = sorted.get(i);
      SegmentResult s = want.get(i);
      assertThat((Integer) r.getAs("segment_index")).isEqualTo(s.index());
      assertThat((Double) r.getAs("start_s")).isEqualTo(s.start());
      assertThat((Double) r.getAs("end_s")).isEqualTo(s.end());
      assertThat((Boolean) r.getAs("short_input")).isEqualTo(s.shortInput());
      assertThat((Integer) r.getAs("channel")).isEqualTo(s.channel());
      assertThat((Double) r.getAs("negative_probability")).isEqualTo(s.negativeProbability().getAsDouble());
      assertThat((String) r.getAs("top_label")).isEqualTo(s.topLabel().orElseThrow().id());
      assertThat(r.<scala.collection.Seq<String>>getAs("selected_labels").size())
          .isEqualTo(s.selectedLabels().size());
      for (LabelScore score : s.scores()) {
        assertThat((Double) r.getAs("score_" + score.label().id())).as(callId + " " + score.label().id())
            .isEqualTo(score.score());
      }
      assertThat((Double) r.getAs("pitch_hz")).isEqualTo(s.prosody().map(ProsodicCues::pitchHz).orElse(null));
      assertThat((Double) r.getAs("energy_dbfs")).isEqualTo(s.prosody().map(ProsodicCues::energyDbfs).orElse(null));
      assertThat((Integer) r.getAs("pause_count")).isEqualTo(s.prosody().map(ProsodicCues::pauseCount).orElse(null));
      assertThat((Double) r.getAs("voiced_fraction"))
          .isEqualTo(s.prosody().map(ProsodicCues::voicedFraction).orElse(null));
    }
    assertThat(rowsOfCall).as("segments of " + callId + " with prosodic cues")
        .anySatisfy(r -> assertThat((Object) r.getAs("pitch_hz")).isNotNull());
  }

  private static Double orNull(java.util.OptionalDouble d) {
    return d.isPresent() ? d.getAsDouble() : null;
  }

  /** Per caller: counts and sums of the calls table, and the least-squares slope of negative share per call. */
  static void assertCallers(Path out, Map<String, Row> calls) {
    Map<String, Row> callers = table(out, "callers").stream()
        .collect(Collectors.toMap(r -> r.getAs("caller_id"), r -> r));
    Map<String, List<Row>> byCaller = calls.values().stream().collect(Collectors.groupingBy(r -> r.getAs("caller_id")));
    assertThat(callers.keySet()).isEqualTo(byCaller.keySet());
    for (Map.Entry<String, List<Row>> e : byCaller.entrySet()) {
      List<Row> cs = new ArrayList<>(e.getValue());
      cs.sort(Comparator.comparing((Row r) -> (String) r.getAs("started_at")));
      Row agg = callers.get(e.getKey());
      assertThat((Long) agg.getAs("calls")).isEqualTo(cs.size());
      double speech = cs.stream().mapToDouble(r -> r.getAs("speech_s")).sum();
      double negative = cs.stream().filter(r -> r.getAs("negative_s") != null)
          .mapToDouble(r -> r.getAs("negative_s")).sum();
      assertThat((Double) agg.getAs("speech_s")).isCloseTo(speech, within(1e-9));
      if (speech > 0) {
        assertThat((Double) agg.getAs("negative_share")).isCloseTo(negative / speech, within(1e-12));
      } else {
        assertThat((Object) agg.getAs("negative_share")).as("no speech: no share").isNull();
      }
      if (cs.size() < 2) {
        assertThat((Object) agg.getAs("negative_share_change_per_call")).isNull();
        continue;
      }
      double mx = (cs.size() + 1) / 2.0;
      double my = cs.stream().mapToDouble(r -> r.getAs("negative_share")).average().orElseThrow();
      double sxy = 0;
      double sxx = 0;
      for (int i = 0; i < cs.size(); i++) {
        double x = i + 1 - mx;
        sxy += x * ((Double) cs.get(i).getAs("negative_share") - my);
        sxx += x * x;
      }
      assertThat((Double) agg.getAs("negative_share_change_per_call")).as(e.getKey())
          .isCloseTo(sxy / sxx, within(1e-12));
    }
    assertThat(byCaller.get("caller-03")).hasSize(2);
  }

  static Map<String, Row> byCallId(List<Row> table) {
    Map<String, Row> m = new HashMap<>();
    for (Row r : table) {
      assertThat(m.put(r.getAs("call_id"), r)).as("call id " + r.getAs("call_id") + " twice").isNull();
    }
    return m;
  }

  @Test
  void theSameInputGivesTheSameRowsWhateverTheParallelism() {
    Path a = dir.resolve("out-det-a");
    Path b = dir.resolve("out-det-b");
    BatchJob.run(spark, options(manifest, a).partitions(5).build());
    BatchJob.run(spark, options(manifest, b).partitions(2).build());
    for (String t : List.of("segments", "calls", "errors")) {
      Dataset<Row> x = spark.read().parquet(a.resolve(t).toString());
      Dataset<Row> y = spark.read().parquet(b.resolve(t).toString());
      assertThat(x.count()).as(t).isPositive();
      if (t.equals("segments")) {
        for (String c : Tables.PROSODY_COLUMNS) {
          assertThat(x.filter(x.col(c).isNotNull()).count()).as(c + " without --prosody").isZero();
        }
      }
      assertThat(x.exceptAll(y).count()).as(t + " rows only in the first run").isZero();
      assertThat(y.exceptAll(x).count()).as(t + " rows only in the second run").isZero();
    }
  }

  @Test
  void incrementalRunsSkipWhatIsDoneAndAddTheRest() throws IOException {
    Path out = dir.resolve("out-incremental");
    Map<String, String[]> first = new TreeMap<>(rows);
    first.remove("c09-5");
    Path firstManifest = writeManifest(archive.resolve("first.csv"), first);
    BatchReport one = BatchJob.run(spark, options(firstManifest, out).callers(true).build());
    assertThat(one.inputs()).isEqualTo(first.size());

    // A killed run leaves its start record and rows, but no run record: the next run must remove them.
    new OutputLayout(spark.sparkContext().hadoopConfiguration(), out.toString()).begin(2, false, Map.of());
    Files.createDirectories(out.resolve("calls/run=2"));
    Files.writeString(out.resolve("calls/run=2/part-stale.parquet"), "left by a killed run");

    Map<String, String[]> grown = new TreeMap<>(first);
    grown.put("c09-late", new String[] {"09/c09-late.wav", "caller-09", "", "2026-03-09T09:00"});
    Archive.writeMono(archive.resolve("09/c09-late.wav"), Archive.call("09", 8, 3));
    Path grownManifest = writeManifest(archive.resolve("grown.csv"), grown);
    BatchReport two = BatchJob.run(spark,
        options(grownManifest, out).mode(BatchOptions.WriteMode.INCREMENTAL).callers(true).build());

    assertThat(two.run()).isEqualTo(2);
    assertThat(two.inputs()).isEqualTo(grown.size());
    assertThat(two.skipped()).isEqualTo(first.size());
    assertThat(two.analysed()).isEqualTo(1);
    assertThat(two.failed()).isZero();
    List<Row> calls = table(out, "calls");
    assertThat(calls).hasSize((int) (one.analysed() + 1));
    assertThat(calls.stream().filter(r -> r.getAs("call_id").equals("c09-late")).map(r -> (Integer) r.getAs("run")))
        .containsExactly(2);
    byCallId(calls);
    assertThat(table(out, "errors")).hasSize((int) one.failed());
    Row late = calls.stream().filter(r -> r.getAs("call_id").equals("c09-late")).findFirst().orElseThrow();
    assertCallRow(late, (CallAnalysis) directAnswer(grown.get("c09-late")), grown.get("c09-late"));
    Row caller09 = table(out, "callers").stream().filter(r -> r.getAs("caller_id").equals("caller-09"))
        .findFirst().orElseThrow();
    assertThat((Long) caller09.getAs("calls")).as("c09-4 from run 1 and c09-late from run 2").isEqualTo(2);
    assertThat(Files.exists(out.resolve("_runs/run-2.json"))).isTrue();
    assertThat(out.resolve("calls/run=2/part-stale.parquet")).doesNotExist();

    // Nothing new: a third run analyses nothing and adds no rows.
    BatchReport three = BatchJob.run(spark,
        options(grownManifest, out).mode(BatchOptions.WriteMode.INCREMENTAL).build());
    assertThat(three.skipped()).isEqualTo(grown.size());
    assertThat(three.analysed() + three.failed()).isZero();
    assertThat(table(out, "calls")).hasSize(calls.size());
  }

  @Test
  void anExistingOutputIsNeverMixedOrReplacedUnasked() {
    Path out = dir.resolve("out-guard");
    BatchJob.run(spark, options(archive.resolve("03"), out).build());
    assertThatThrownBy(() -> BatchJob.run(spark, options(archive.resolve("03"), out).build()))
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION);
          assertThat(e.getMessage()).contains("--incremental", "--overwrite");
        });
    Path otherModel = Archive.FIXTURE_MODELS.resolve("fbank-cnn-tiny");
    assertThatThrownBy(() -> BatchJob.run(spark, options(archive.resolve("03"), out).model(otherModel.toString())
        .mode(BatchOptions.WriteMode.INCREMENTAL).build()))
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION);
          assertThat(e.getMessage()).contains("another model");
        });
    BatchReport replaced = BatchJob.run(spark, options(archive.resolve("03"), out).model(otherModel.toString())
        .mode(BatchOptions.WriteMode.OVERWRITE).build());
    assertThat(replaced.run()).isEqualTo(1);
    assertThat(table(out, "calls")).allSatisfy(r -> assertThat((String) r.getAs("model")).isEqualTo(replaced.model()));
  }

  @Test
  void concurrentRunsInOneJvmShareTheRecognizerAndTheLastClosesIt() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<BatchReport>> runs = new ArrayList<>();
      for (String name : List.of("out-concurrent-a", "out-concurrent-b")) {
        runs.add(pool.submit(() -> BatchJob.run(spark,
            options(archive.resolve("08"), dir.resolve(name)).callers(true).build())));
      }
      for (java.util.concurrent.Future<BatchReport> run : runs) {
        assertThat(run.get().analysed()).isEqualTo(2);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(ExecutorRecognizers.open()).as("recognizers left open after local runs").isZero();
  }

  @Test
  void aDirectoryIsSearchedForTheMatchingFilesAndTheRestIsCounted() throws IOException {
    Path in = dir.resolve("dir-input");
    Archive.writeMono(in.resolve("2026/01/a.wav"), Archive.call("13", 0, 2));
    Archive.writeMono(in.resolve("2026/02/b.WAV"), Archive.call("14", 0, 2));
    Files.writeString(in.resolve("2026/notes.txt"), "not audio");
    Archive.writeMono(in.resolve(".trash/c.wav"), Archive.call("15", 0, 2));
    Path out = dir.resolve("out-dir");
    BatchReport report = BatchJob.run(spark, options(in, out).build());
    assertThat(report.inputs()).isEqualTo(2);
    assertThat(report.ignoredFiles()).as("notes.txt; .trash is hidden, so skipped and not counted").isEqualTo(1);
    assertThat(table(out, "calls").stream().map(r -> (String) r.getAs("call_id")))
        .containsExactlyInAnyOrder("2026/01/a", "2026/02/b");

    BatchReport glob = BatchJob.run(spark, options(in.resolve("2026/*/*.wav"), dir.resolve("out-glob")).build());
    assertThat(glob.inputs()).isEqualTo(1);
    assertThat(table(dir.resolve("out-glob"), "calls").get(0).<String>getAs("call_id")).isEqualTo("01/a");
  }

  @Test
  void aParquetManifestWorksAsACsvOne() {
    List<Row> manifestRows = new ArrayList<>();
    manifestRows.add(org.apache.spark.sql.RowFactory.create(archive.resolve("08/c08-2.wav").toString(), "p1", "caller-08",
        java.sql.Timestamp.valueOf("2026-01-11 08:15:00"), null));
    manifestRows.add(org.apache.spark.sql.RowFactory.create("broken/adpcm.wav", "p2", null, null, null));
    manifestRows.add(org.apache.spark.sql.RowFactory.create("08/c08-3.wav", "p3", null, null, "left"));
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("path", "string").add("call_id", "string").add("caller_id", "string").add("started_at", "timestamp")
        .add("channel", "string");
    Path parquet = archive.resolve("manifest.parquet");
    spark.createDataFrame(manifestRows, schema).coalesce(1).write().parquet(parquet.toString());
    Path out = dir.resolve("out-parquet-manifest");
    BatchReport report = BatchJob.run(spark, options(parquet, out).build());
    assertThat(report.analysed()).isEqualTo(1);
    assertThat(report.failed()).isEqualTo(2);
    Row call = table(out, "calls").get(0);
    assertThat((String) call.getAs("call_id")).isEqualTo("p1");
    assertThat((String) call.getAs("started_at")).startsWith("2026-01-11 08:15");
    Map<String, Row> errors = byCallId(table(out, "errors"));
    assertThat((String) errors.get("p2").getAs("error_code")).isEqualTo("UNSUPPORTED_ENCODING");
    assertThat((String) errors.get("p3").getAs("error_code")).isEqualTo("INVALID_OPTION");
    assertThat((String) errors.get("p3").getAs("error_message")).contains("manifest row 3", "'left'");
  }

  @Test
  void aManifestWithoutPathsOrWithRepeatedCallIdsIsRefusedBeforeAnythingIsWritten() throws IOException {
    Path noPath = archive.resolve("no-path.csv");
    Files.writeString(noPath, "file,call_id\na.wav,a\n");
    assertThatThrownBy(() -> BatchJob.run(spark, options(noPath, dir.resolve("out-bad-1")).build()))
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION);
          assertThat(e.getMessage()).contains("'path'");
        });
    Path repeated = archive.resolve("repeated.csv");
    Files.writeString(repeated, "path,call_id\n03/c03-0.wav,x\n08/c08-2.wav,x\n");
    assertThatThrownBy(() -> BatchJob.run(spark, options(repeated, dir.resolve("out-bad-2")).build()))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.getMessage()).contains("[x]"));
    assertThat(dir.resolve("out-bad-2").resolve("calls")).doesNotExist();
  }
}
