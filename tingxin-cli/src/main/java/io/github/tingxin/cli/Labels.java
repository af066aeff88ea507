package io.github.tingxin.cli;

import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Task;
import java.util.Comparator;
import java.util.Optional;

/** Which label the outputs show as a segment's "top label". Stateless. */
final class Labels {
  private Labels() {}

  /**
   * The highest-scoring label of the first classification head other than the negative head (the emotion
   * head, which says more than the negative probability shown beside it), or of the negative head where
   * the model has no other. Empty when nothing was scored.
   */
  static Optional<Label> top(SegmentResult s, ModelManifest model) {
    String negative = model.negativeHeadSpec().map(ModelManifest.Head::name).orElse(null);
    Optional<String> head = model.heads().stream()
        .filter(h -> !h.name().equals(negative) && (h.task() == Task.MULTI_CLASS || h.task() == Task.MULTI_LABEL))
        .map(ModelManifest.Head::name).findFirst();
    if (head.isEmpty()) {
      return s.topLabel();
    }
    return s.scores().stream().filter(ls -> ls.head().equals(head.get()) && !Double.isNaN(ls.score()))
        .max(Comparator.comparingDouble(LabelScore::score)).map(LabelScore::label).or(s::topLabel);
  }
}
