package io.github.tingxin.api;

import java.util.Locale;

/** What a model head predicts. Immutable and thread-safe. */
public enum Task {
  /** Negative or not: one sigmoid output, or two softmax outputs (not-negative, negative). */
  BINARY("binary"),
  /** Any number of labels at once, each with its own threshold (e.g. the 11 negative emotions). */
  MULTI_LABEL("multi-label"),
  /** Exactly one of several classes (softmax). */
  MULTI_CLASS("multi-class"),
  /** Continuous values such as arousal and valence, each within a stated range. */
  DIMENSIONAL("dimensional");

  private final String jsonName;

  Task(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name used in {@code tingxin-model.json}. */
  public String jsonName() {
    return jsonName;
  }

  /**
   * @throws IllegalArgumentException if {@code name} is no task's JSON name
   */
  public static Task fromJsonName(String name) {
    for (Task t : values()) {
      if (t.jsonName.equals(name.toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + name + "' (binary, multi-label, multi-class, dimensional)");
  }
}
