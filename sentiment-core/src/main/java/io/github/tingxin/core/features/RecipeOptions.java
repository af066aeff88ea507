package io.github.tingxin.core.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Strict reading of a recipe's options map: each option is read with its type and default, and any
 * option left unread is refused by name. Values may be JSON scalars or strings (as the command line
 * passes them). Not thread-safe; one per parse.
 */
final class RecipeOptions {
  private final String type;
  private final Map<String, Object> values;
  private final Map<String, Object> read = new LinkedHashMap<>();

  RecipeOptions(String type, Map<String, Object> values) {
    this.type = type;
    this.values = values;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  double getDouble(String name, double def) {
    Object v = take(name);
    if (v == null) {
      return def;
    }
    if (v instanceof Number num) {
      return num.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw Checks.invalid(name, describe(s) + " is not a number");
      }
    }
    throw Checks.invalid(name, "must be a number, got " + describe(v));
  }

  /** A whole number in {@code [min, max]}: the option's documented range, checked before any use of it. */
  int getInt(String name, int def, int min, int max) {
    Object v = values.get(name);
    double d = getDouble(name, def);
    if (d != Math.rint(d) || d < min || d > max) {
      throw Checks.invalid(name, "must be a whole number from " + min + " to " + max + ", got " + describe(v));
    }
    return (int) d;
  }

  long getLong(String name, long def) {
    Object v = take(name);
    if (v == null) {
      return def;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
        && Math.abs(num.doubleValue()) < 0x1p53) {
      return num.longValue();
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw Checks.invalid(name, describe(s) + " is not a whole number");
      }
    }
    throw Checks.invalid(name, "must be a whole number, got " + describe(v));
  }

  boolean getBoolean(String name, boolean def) {
    Object v = take(name);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true")) {
        return true;
      }
      if (t.equals("false")) {
        return false;
      }
    }
    throw Checks.invalid(name, "must be true or false, got " + describe(v));
  }

  String getString(String name, String def) {
    Object v = take(name);
    if (v == null) {
      return def;
    }
    if (v instanceof String s) {
      return s.trim();
    }
    throw Checks.invalid(name, "must be a string, got " + describe(v));
  }

  /** A list of numbers, from a JSON list or a comma-separated string; null when absent. */
  double[] getDoubleList(String name) {
    Object v = take(name);
    if (v == null) {
      return null;
    }
    List<Object> items = new ArrayList<>();
    if (v instanceof List<?> list) {
      items.addAll(list);
    } else if (v instanceof String s) {
      for (String part : s.split(",")) {
        items.add(part);
      }
    } else {
      throw Checks.invalid(name, "must be a list of numbers, got " + describe(v));
    }
    double[] out = new double[items.size()];
    for (int i = 0; i < out.length; i++) {
      Object item = items.get(i);
      if (item instanceof Number num) {
        out[i] = num.doubleValue();
      } else if (item instanceof String s) {
        try {
          out[i] = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          throw Checks.invalid(name, "item " + i + " (" + describe(s) + ") is not a number");
        }
      } else {
        throw Checks.invalid(name, "item " + i + " must be a number, got " + describe(item));
      }
    }
    return out;
  }

  /** Refuses every option not read. */
  void finish() {
    TreeSet<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(read.keySet());
    if (!unknown.isEmpty()) {
      String first = unknown.first();
      throw Checks.invalid(first, "is not an option of recipe type '" + type + "'"
          + (unknown.size() > 1 ? " (nor are " + unknown.tailSet(first, false) + ")" : "")
          + "; see docs/model-package.md for the options of each type");
    }
  }

  private Object take(String name) {
    Object v = values.get(name);
    read.put(name, v);
    return v;
  }

  // Values are never echoed in full: a list could be long.
  private static String describe(Object v) {
    if (v instanceof List<?>) {
      return "a list";
    }
    if (v instanceof String s) {
      return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
    return String.valueOf(v);
  }
}
