package io.github.tingxin.spark;

import io.github.tingxin.api.Label;
import io.github.tingxin.api.ModelManifest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model's labels as column-name suffixes, in manifest order: the label id where ids are unique across
 * heads (the usual case), else {@code head_label}. Lower case, with anything but letters, digits and
 * underscores made an underscore, so the names are safe in SQL and Parquet.
 */
final class LabelColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> heads = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();
  private final List<String> suffixes = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();

  LabelColumns(ModelManifest manifest) {
    Set<String> seen = new HashSet<>();
    boolean unique = true;
    for (ModelManifest.Head head : manifest.heads()) {
      for (Label label : head.labels()) {
        unique &= seen.add(label.id());
      }
    }
    Set<String> names = new HashSet<>();
    for (ModelManifest.Head head : manifest.heads()) {
      for (Label label : head.labels()) {
        String suffix = sanitise(unique ? label.id() : head.name() + "_" + label.id());
        if (!names.add(suffix)) {
          throw new IllegalArgumentException("labels '" + label.id() + "' of head '" + head.name()
              + "' and another give the same column name '" + suffix + "'");
        }
        index.put(key(head.name(), label.id()), suffixes.size());
        heads.add(head.name());
        labels.add(label.id());
        suffixes.add(suffix);
      }
    }
  }

  int size() {
    return suffixes.size();
  }

  String suffix(int i) {
    return suffixes.get(i);
  }

  /** Position of the head's label, or -1. */
  int indexOf(String head, String labelId) {
    return index.getOrDefault(key(head, labelId), -1);
  }

  private static String key(String head, String label) {
    return head + '\u0000' + label;
  }

  static String sanitise(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toLowerCase(Locale.ROOT).toCharArray()) {
      b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    return b.toString();
  }
}
