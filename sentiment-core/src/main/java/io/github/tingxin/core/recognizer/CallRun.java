package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.core.audio.ChannelSelector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One call on its way through the recognizer: a {@link SpeakerPipeline} per analysed speaker (the caller's;
 * also the operator's for {@link ChannelSelection.Mode#CALLER_AND_OPERATOR}), fed block by block. A speaker's
 * closed segments are handed over for scoring, in time order, once {@code scoreEvery} of them wait (1: as
 * soon as each closes): offline analysis scores them at once, a live stream queues them for the
 * recognizer's {@link StreamBatcher}; either way each is measured for its prosodic cues where the settings
 * ask. Offline analysis (a WAV reader or decoded audio) and live streams both run their audio through this
 * one class, so they cut exactly the same segments, with the same cues, by construction; only the batching
 * of the scoring differs, which a model with a lengths input (or fixed frames) never notices.
 *
 * <p>If the handover fails (scoring fails, or the thread is interrupted), the closed segments stay queued
 * and are handed over by the next {@link #accept} or {@link #finish()}. Not thread-safe.
 */
final class CallRun {
  private final DefaultEmotionRecognizer recognizer;
  private final ChannelSelection selection;
  private final int channels;
  private final int scoreEvery;
  private final Handoff handoff;
  private final Map<Speaker, SpeakerPipeline> pipelines = new EnumMap<>(Speaker.class);
  private float[] mono = new float[0];
  private long frames;

  /**
   * @param inputRate the audio's sample rate
   * @param channels the audio's channels (blocks hold one array per channel)
   * @param selection which channels are whose, already checked against {@code channels}
   * @param scoreEvery how many closed segments of a speaker wait before they are scored
   * @param handoff takes each group of closed segments
   */
  CallRun(DefaultEmotionRecognizer recognizer, int inputRate, int channels, ChannelSelection selection,
      int scoreEvery, Handoff handoff) {
    this.recognizer = recognizer;
    this.selection = selection;
    this.channels = channels;
    this.scoreEvery = scoreEvery;
    this.handoff = handoff;
    pipelines.put(Speaker.CALLER, recognizer.pipeline(inputRate));
    if (withOperator()) {
      pipelines.put(Speaker.OPERATOR, recognizer.pipeline(inputRate));
    }
  }

  /** Whether the operator is analysed too. */
  boolean withOperator() {
    return selection.mode() == ChannelSelection.Mode.CALLER_AND_OPERATOR;
  }

  /** Frames taken so far, at the input rate. */
  long frames() {
    return frames;
  }

  /** Feeds frames {@code [offset, offset + n)} of {@code block} (one array per channel). */
  void accept(float[][] block, int offset, int n) {
    frames += n;
    for (Map.Entry<Speaker, SpeakerPipeline> e : pipelines.entrySet()) {
      SpeakerPipeline pipeline = e.getValue();
      if (channels == 1) {
        pipeline.accept(block[0], offset, n); // the one channel is every selection's: no copy
      } else {
        if (mono.length < n) {
          mono = new float[n];
        }
        ChannelSelector.mix(block, channels, offset, n, selection, e.getKey(), mono, 0);
        pipeline.accept(mono, 0, n);
      }
      if (pipeline.pendingCount() >= scoreEvery) {
        score(e.getKey(), pipeline);
      }
    }
  }

  /** Ends the audio: closes the open segments and scores every one still waiting. */
  void finish() {
    for (Map.Entry<Speaker, SpeakerPipeline> e : pipelines.entrySet()) {
      if (!e.getValue().finished()) {
        e.getValue().finish();
      }
      score(e.getKey(), e.getValue());
    }
  }

  /**
   * Takes a speaker's closed segments: the audio to score (at the model's rate) and where each belongs. The
   * segments leave their pipeline only when this returns normally.
   */
  @FunctionalInterface
  interface Handoff {
    void take(List<float[]> clips, List<DefaultEmotionRecognizer.Span> spans);
  }

  /** Hands the pipeline's waiting segments over; they leave the pipeline only once taken. */
  private void score(Speaker speaker, SpeakerPipeline pipeline) {
    List<SpeakerPipeline.PendingSegment> pending = pipeline.peek();
    if (pending.isEmpty()) {
      return;
    }
    List<float[]> clips = new ArrayList<>(pending.size());
    List<DefaultEmotionRecognizer.Span> spans = new ArrayList<>(pending.size());
    double rate = recognizer.model().sampleRate();
    int channel = channelOf(speaker);
    for (int i = 0; i < pending.size(); i++) {
      SpeakerPipeline.PendingSegment p = pending.get(i);
      clips.add(p.samples());
      spans.add(new DefaultEmotionRecognizer.Span(pipeline.scored() + i, p.startSample() / rate,
          p.endSample() / rate, speaker, channel, p.samples().length - (int) (p.endSample() - p.startSample())));
    }
    handoff.take(clips, spans);
    pipeline.discard(pending.size());
  }

  private int channelOf(Speaker speaker) {
    return switch (selection.mode()) {
      case DOWNMIX -> -1;
      case CHANNEL -> selection.caller();
      case CALLER_AND_OPERATOR -> speaker == Speaker.CALLER ? selection.caller() : selection.operator();
    };
  }
}
