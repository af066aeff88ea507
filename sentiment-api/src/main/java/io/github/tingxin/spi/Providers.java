package io.github.tingxin.spi;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The one way Tingxin finds the implementations of a service-provider interface, as DJL finds its engines:
 * every provider on the class path is loaded with {@link ServiceLoader} (from sentiment-api's class loader,
 * then the thread's context class loader, one instance per provider class), ranked by its {@code rank()}
 * (highest first; equal ranks keep the order found), and chosen
 * <ul>
 *   <li>by name, where the caller's input names one (a segmentation names its voice activity detector, a
 *   manifest its feature recipe type): the highest-ranked provider that offers the name, or
 *   {@link #named(String)};</li>
 *   <li>otherwise by the caller's choice, else by the service's system property, else by rank:
 *   {@link #select(Optional)}.</li>
 * </ul>
 * A name no provider offers is refused with the service's {@link ErrorCode}, in a message that lists the
 * names on the class path, the artifact that brings Tingxin's own providers, and any registered provider that
 * could not be loaded (a broken plug-in jar is skipped, never fatal to the others, and named there).
 *
 * <p>The services and their names:
 * <table>
 *   <caption>Services, how a provider is named, the system property that chooses one, the error code</caption>
 *   <tr><th>constant</th><th>a provider's names</th><th>property</th><th>code when missing</th></tr>
 *   <tr><td>{@link #BACKENDS}</td><td>{@link InferenceBackend#name()}</td>
 *       <td>{@value InferenceBackend#OVERRIDE_PROPERTY}</td><td>{@link ErrorCode#BACKEND_UNAVAILABLE}</td></tr>
 *   <tr><td>{@link #VOICE_ACTIVITY_DETECTORS}</td><td>{@link VoiceActivityDetectorProvider#name()}</td>
 *       <td>none: the segmentation names the detector</td><td>{@link ErrorCode#VAD_UNAVAILABLE}</td></tr>
 *   <tr><td>{@link #FEATURE_EXTRACTORS}</td><td>{@link FeatureExtractorProvider#types()}</td>
 *       <td>none: the manifest names the recipe</td><td>{@link ErrorCode#UNSUPPORTED_OPTION}</td></tr>
 *   <tr><td>{@link #MODEL_PACKAGE_READERS}</td><td>the class name</td>
 *       <td>{@value ModelPackageReader#OVERRIDE_PROPERTY}</td><td>{@link ErrorCode#BACKEND_UNAVAILABLE}</td></tr>
 *   <tr><td>{@link #RECOGNIZER_FACTORIES}</td><td>the class name</td>
 *       <td>{@value RecognizerFactory#OVERRIDE_PROPERTY}</td><td>{@link ErrorCode#BACKEND_UNAVAILABLE}</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe. Nothing is cached: each call looks again, so providers that a class loader
 * brings later (an application server, a Spark executor) are found.
 *
 * @param <P> the service-provider interface
 */
public final class Providers<P> {

  /** Inference backends ({@code onnxruntime} in sentiment-onnx). */
  public static final Providers<InferenceBackend> BACKENDS = new Providers<>(InferenceBackend.class,
      "inference backend", b -> Set.of(b.name()), InferenceBackend::rank, InferenceBackend.OVERRIDE_PROPERTY,
      ErrorCode.BACKEND_UNAVAILABLE, "Add io.github.tingxin:sentiment-onnx (ONNX Runtime) to the class path.");

  /** Voice activity detectors ({@code energy} and {@code none} in sentiment-core, {@code silero} in onnx). */
  public static final Providers<VoiceActivityDetectorProvider> VOICE_ACTIVITY_DETECTORS = new Providers<>(
      VoiceActivityDetectorProvider.class, "voice activity detector", p -> Set.of(p.name()),
      VoiceActivityDetectorProvider::rank, null, ErrorCode.VAD_UNAVAILABLE,
      "energy and none come with io.github.tingxin:sentiment-core, silero with io.github.tingxin:sentiment-onnx.");

  /** Feature extractors by recipe type (waveform, kaldi-fbank, kaldi-mfcc, whisper-logmel in sentiment-core). */
  public static final Providers<FeatureExtractorProvider> FEATURE_EXTRACTORS = new Providers<>(
      FeatureExtractorProvider.class, "feature extractor", FeatureExtractorProvider::types,
      FeatureExtractorProvider::rank, null, ErrorCode.UNSUPPORTED_OPTION,
      "The built-in recipes come with io.github.tingxin:sentiment-core (docs/model-package.md).");

  /** The reader behind {@link io.github.tingxin.api.ModelPackage#load} (sentiment-core). */
  public static final Providers<ModelPackageReader> MODEL_PACKAGE_READERS = new Providers<>(
      ModelPackageReader.class, "model package reader", r -> Set.of(r.getClass().getName()),
      ModelPackageReader::rank, ModelPackageReader.OVERRIDE_PROPERTY, ErrorCode.BACKEND_UNAVAILABLE,
      "Add io.github.tingxin:sentiment-core to the class path.");

  /** The factory behind {@link io.github.tingxin.api.EmotionRecognizer.Builder#build()} (sentiment-core). */
  public static final Providers<RecognizerFactory> RECOGNIZER_FACTORIES = new Providers<>(
      RecognizerFactory.class, "recognizer implementation", f -> Set.of(f.getClass().getName()),
      RecognizerFactory::rank, RecognizerFactory.OVERRIDE_PROPERTY, ErrorCode.BACKEND_UNAVAILABLE,
      "Add io.github.tingxin:sentiment-core to the class path.");

  private final Class<P> service;
  private final String what;
  private final Function<? super P, ? extends Collection<String>> names;
  private final ToIntFunction<? super P> rank;
  private final String overrideProperty;
  private final ErrorCode missing;
  private final String hint;

  private Providers(Class<P> service, String what, Function<? super P, ? extends Collection<String>> names,
      ToIntFunction<? super P> rank, String overrideProperty, ErrorCode missing, String hint) {
    this.service = service;
    this.what = what;
    this.names = names;
    this.rank = rank;
    this.overrideProperty = overrideProperty;
    this.missing = missing;
    this.hint = hint;
  }

  /** The service-provider interface. */
  public Class<P> service() {
    return service;
  }

  /** The system property that names the provider {@link #select} takes when the caller names none. */
  public Optional<String> overrideProperty() {
    return Optional.ofNullable(overrideProperty);
  }

  /** Every provider on the class path, one instance per class, highest rank first. */
  public List<P> all() {
    return load().providers();
  }

  /** What a look on the class path found: the providers, ranked, and the ones that failed to load. */
  private record Found<P>(List<P> providers, List<String> broken) {}

  private Found<P> load() {
    Map<String, P> byClass = new LinkedHashMap<>();
    List<String> broken = new ArrayList<>();
    ClassLoader own = Providers.class.getClassLoader();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ClassLoader loader : context == null || context == own ? List.of(own) : List.of(own, context)) {
      Iterator<P> it = ServiceLoader.load(service, loader).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          P p = it.next();
          byClass.putIfAbsent(p.getClass().getName(), p);
        } catch (ServiceConfigurationError e) {
          // ServiceLoader goes on with the next provider after this; the bound only guards against a loop
          broken.add(e.getMessage());
          if (broken.size() > 100) {
            break;
          }
        }
      }
    }
    List<P> ranked = new ArrayList<>(byClass.values());
    ranked.sort(Comparator.comparingInt(rank).reversed()); // stable: equal ranks keep the order found
    return new Found<>(ranked, List.copyOf(new LinkedHashSet<>(broken)));
  }

  /** Every name the providers on the class path offer, sorted. */
  public Set<String> names() {
    return namesOf(all());
  }

  /**
   * The highest-ranked provider that offers {@code name}.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws TingxinException with the service's code if no provider offers it; the message lists the names
   *     that are offered
   */
  public P named(String name) {
    Objects.requireNonNull(name, "name");
    return named(name, load(), "");
  }

  /**
   * As {@link #named(String)}, saying in the message who named the provider.
   *
   * @param namedBy where the name came from, e.g. {@code "the segmentation"} or {@code "--vad"}
   */
  public P named(String name, String namedBy) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namedBy, "namedBy");
    return named(name, load(), " (named by " + namedBy + ")");
  }

  /**
   * The provider to use where the caller may name one: the provider named by {@code name}, else by the
   * service's system property, else the highest-ranked one.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws TingxinException with the service's code if no provider is on the class path, or the named one
   *     is not (the message says whether the caller or the property named it)
   */
  public P select(Optional<String> name) {
    return select(name, p -> true, missing, "");
  }

  /**
   * As {@link #select(Optional)}, among the providers {@code usable} accepts: a named provider must be
   * usable, and otherwise the highest-ranked usable one is taken.
   *
   * @param usable whether a provider can do the job at hand
   * @param unusable the code when the named provider, or every provider, is not usable
   * @param job what {@code usable} checks, for messages, e.g. {@code "run on CPU on this machine"}
   * @throws TingxinException as {@link #select(Optional)}, and with {@code unusable} if no fitting provider is
   *     usable
   */
  public P select(Optional<String> name, Predicate<? super P> usable, ErrorCode unusable, String job) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(usable, "usable");
    Objects.requireNonNull(unusable, "unusable");
    Objects.requireNonNull(job, "job");
    Found<P> found = load();
    List<P> all = found.providers();
    Optional<String> property = overrideProperty().map(System::getProperty).map(String::trim)
        .filter(s -> !s.isEmpty());
    if (name.isPresent() || property.isPresent()) {
      String wanted = name.or(() -> property).get();
      P p = named(wanted, found, " (named by " + (name.isPresent() ? "the caller" : "-D" + overrideProperty) + ")");
      if (!usable.test(p)) {
        throw new TingxinException(unusable, "The " + what + " '" + wanted + "' cannot " + job + ".");
      }
      return p;
    }
    if (all.isEmpty()) {
      throw new TingxinException(missing, "No " + what + " is on the class path" + brokenNote(found) + ". " + hint);
    }
    return all.stream().filter(usable).findFirst().orElseThrow(() -> new TingxinException(unusable, "No " + what
        + " can " + job + " (available: " + namesOf(all) + ")."));
  }

  private P named(String name, Found<P> found, String namedBy) {
    for (P p : found.providers()) {
      if (names.apply(p).contains(name)) {
        return p;
      }
    }
    throw new TingxinException(missing, "The " + what + " '" + name + "'" + namedBy + " is not on the class path; "
        + "available: " + namesOf(found.providers()) + brokenNote(found) + ". " + hint);
  }

  private static String brokenNote(Found<?> found) {
    return found.broken().isEmpty() ? "" : "; registered but could not be loaded: " + found.broken();
  }

  private Set<String> namesOf(List<P> all) {
    SortedSet<String> out = new TreeSet<>();
    all.forEach(p -> out.addAll(names.apply(p)));
    return Collections.unmodifiableSortedSet(out);
  }

  @Override
  public String toString() {
    return "Providers[" + service.getName() + "]";
  }
}
