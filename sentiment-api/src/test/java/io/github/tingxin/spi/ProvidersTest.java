package io.github.tingxin.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one lookup, with the providers this module's test resources register: detectors {@code twin} (ranks 1
 * and 5) and {@code solo}, backends {@code cpu-only} (rank 1) and {@code nowhere} (rank 9, runs nowhere).
 */
class ProvidersTest {

  /** A detector provider that opens nothing: the lookup never opens what it finds. */
  abstract static class TestVad implements VoiceActivityDetectorProvider {
    @Override
    public VoiceActivityDetector open(int sampleRate) {
      throw new UnsupportedOperationException("not for opening");
    }
  }

  public static final class LowTwin extends TestVad {
    @Override public String name() { return "twin"; }
    @Override public int rank() { return 1; }
  }

  public static final class HighTwin extends TestVad {
    @Override public String name() { return "twin"; }
    @Override public int rank() { return 5; }
  }

  public static final class Solo extends TestVad {
    @Override public String name() { return "solo"; }
  }

  /** Registered only in a class loader the test makes, never in the test resources. */
  public static final class ContextOnly extends TestVad {
    @Override public String name() { return "context-only"; }
  }

  abstract static class TestBackend implements InferenceBackend {
    @Override
    public InferenceSession open(ModelPackage model, SessionOptions options) {
      throw new UnsupportedOperationException("not for opening");
    }
  }

  public static final class CpuOnly extends TestBackend {
    @Override public String name() { return "cpu-only"; }
    @Override public int rank() { return 1; }
    @Override public boolean supports(Device device) { return device.type() == Device.Type.CPU; }
  }

  public static final class Nowhere extends TestBackend {
    @Override public String name() { return "nowhere"; }
    @Override public int rank() { return 9; }
    @Override public boolean supports(Device device) { return false; }
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code, String... mentions) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TingxinException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(mentions);
    });
  }

  @Test
  void aNameGoesToItsHighestRankedProvider() {
    Providers<VoiceActivityDetectorProvider> vads = Providers.VOICE_ACTIVITY_DETECTORS;
    assertThat(vads.named("twin")).isInstanceOf(HighTwin.class);
    assertThat(vads.named("solo")).isInstanceOf(Solo.class);
    assertThat(vads.all()).hasSize(3).first().isInstanceOf(HighTwin.class);
    assertThat(vads.names()).containsExactly("solo", "twin");
  }

  @Test
  void aNameNobodyOffersIsRefusedWithTheServicesCodeAndTheNamesThereAre() {
    assertCode(() -> Providers.VOICE_ACTIVITY_DETECTORS.named("webrtc"), ErrorCode.VAD_UNAVAILABLE,
        "'webrtc'", "available: [solo, twin]", "sentiment-onnx");
    assertCode(() -> Providers.VOICE_ACTIVITY_DETECTORS.named("webrtc", "--vad"), ErrorCode.VAD_UNAVAILABLE,
        "'webrtc' (named by --vad)");
    assertCode(() -> Providers.FEATURE_EXTRACTORS.named("kaldi-fbank"), ErrorCode.UNSUPPORTED_OPTION,
        "'kaldi-fbank'", "available: []", "sentiment-core");
    assertCode(() -> Providers.RECOGNIZER_FACTORIES.select(Optional.empty()), ErrorCode.BACKEND_UNAVAILABLE,
        "sentiment-core");
  }

  @Test
  void selectTakesTheCallersNameElseThePropertyElseTheBestUsable() {
    String property = InferenceBackend.OVERRIDE_PROPERTY;
    assertThat(Providers.BACKENDS.overrideProperty()).contains(property);
    assertThat(Providers.VOICE_ACTIVITY_DETECTORS.overrideProperty()).isEmpty();
    // "nowhere" ranks higher but cannot run: the best usable one is taken
    assertThat(InferenceBackends.select(Device.CPU, Optional.empty())).isInstanceOf(CpuOnly.class);
    assertThat(Providers.BACKENDS.select(Optional.empty())).isInstanceOf(Nowhere.class);
    assertCode(() -> InferenceBackends.select(Device.cuda(0), Optional.empty()), ErrorCode.DEVICE_UNAVAILABLE,
        "No inference backend can run on", "cpu-only, nowhere");
    assertCode(() -> InferenceBackends.select(Device.CPU, Optional.of("nowhere")), ErrorCode.DEVICE_UNAVAILABLE,
        "'nowhere' cannot run on");
    assertCode(() -> InferenceBackends.select(Device.CPU, Optional.of("tensorrt")), ErrorCode.BACKEND_UNAVAILABLE,
        "'tensorrt' (named by the caller)", "sentiment-onnx");
    String old = System.getProperty(property);
    try {
      System.setProperty(property, " nowhere ");
      assertThat(Providers.BACKENDS.select(Optional.empty())).isInstanceOf(Nowhere.class);
      assertThat(Providers.BACKENDS.select(Optional.of("cpu-only"))).as("the caller's name wins")
          .isInstanceOf(CpuOnly.class);
      assertCode(() -> InferenceBackends.select(Device.CPU, Optional.empty()), ErrorCode.DEVICE_UNAVAILABLE,
          "'nowhere' cannot run on");
      System.setProperty(property, "gone");
      assertCode(() -> InferenceBackends.select(Device.CPU, Optional.empty()), ErrorCode.BACKEND_UNAVAILABLE,
          "'gone' (named by -D" + property + ")");
    } finally {
      if (old == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, old);
      }
    }
  }

  @Test
  void providersOnlyTheContextClassLoaderSeesAreFoundOnce(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    // the context loader also sees the test resources through its parent: Solo must still come once
    Files.writeString(services.resolve(VoiceActivityDetectorProvider.class.getName()),
        ContextOnly.class.getName() + "\n" + Solo.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader old = thread.getContextClassLoader();
    try (URLClassLoader context = new URLClassLoader(new URL[] {dir.toUri().toURL()}, old)) {
      thread.setContextClassLoader(context);
      assertThat(Providers.VOICE_ACTIVITY_DETECTORS.named("context-only")).isInstanceOf(ContextOnly.class);
      assertThat(Providers.VOICE_ACTIVITY_DETECTORS.all()).hasSize(4);
    } finally {
      thread.setContextClassLoader(old);
    }
    assertCode(() -> Providers.VOICE_ACTIVITY_DETECTORS.named("context-only"), ErrorCode.VAD_UNAVAILABLE,
        "context-only");
  }

  @Test
  void aBrokenPlugInIsSkippedAndNamedWhenALookupFails(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(VoiceActivityDetectorProvider.class.getName()),
        "com.example.MissingVadProvider\n" + ContextOnly.class.getName() + "\n");
    Thread thread = Thread.currentThread();
    ClassLoader old = thread.getContextClassLoader();
    try (URLClassLoader context = new URLClassLoader(new URL[] {dir.toUri().toURL()}, old)) {
      thread.setContextClassLoader(context);
      // the providers after the broken one are still found
      assertThat(Providers.VOICE_ACTIVITY_DETECTORS.named("context-only")).isInstanceOf(ContextOnly.class);
      assertCode(() -> Providers.VOICE_ACTIVITY_DETECTORS.named("webrtc"), ErrorCode.VAD_UNAVAILABLE,
          "available: [context-only, solo, twin]", "could not be loaded", "com.example.MissingVadProvider");
    } finally {
      thread.setContextClassLoader(old);
    }
  }
}
