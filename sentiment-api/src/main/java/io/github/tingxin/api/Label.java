package io.github.tingxin.api;

import java.util.Objects;

/**
 * One output label of a model, with its display names.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id stable identifier used in JSON, CSV and code (e.g. {@code despair})
 * @param english English display name
 * @param chinese Chinese display name (e.g. 绝望)
 * @param negative whether the label counts towards the negative-emotion probability
 */
public record Label(String id, String english, String chinese, boolean negative) {
  /**
   * @throws NullPointerException if a name is null
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public Label {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(english, "english");
    Objects.requireNonNull(chinese, "chinese");
    if (id.isBlank()) {
      throw new IllegalArgumentException("label id must not be blank");
    }
  }
}
