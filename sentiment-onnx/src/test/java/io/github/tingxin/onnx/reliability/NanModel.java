package io.github.tingxin.onnx.reliability;

import java.util.Base64;

/**
 * A tiny ONNX graph that fits the manifest of {@code fixtures/models/fbank-cnn-tiny} (the same inputs,
 * outputs and shapes) but whose {@code negative} head outputs NaN, made by
 * {@code tools/reliability/make_nan_model.py} (onnx 1.12, opset 13): the "NaN from a model" case.
 */
final class NanModel {
  private NanModel() {}

  /** The graph's bytes. */
  static byte[] bytes() {
    return Base64.getDecoder().decode(BASE64);
  }

  private static final String BASE64 = ""
      + "CAcSE3Rpbmd4aW4tcmVsaWFiaWxpdHk63w0KOgoIZmVhdHVyZXMSBG1lYW4iClJlZHVjZU1lYW4qCwoEYXhlc0ABoAEHKg8KCGtl"
      + "ZXBkaW1zGACgAQIKIgoEbWVhbgoBVxIPbmVnYXRpdmVfbG9naXRzIgZNYXRNdWwKIQoEbWVhbgoBVhIOZW1vdGlvbl9sb2dpdHMi"
      + "Bk1hdE11bBIIbmFuX2hlYWQqzAIIKAgCEAFCAVdKwAJ4/VA+AADAf9dAKz0AAMB/uGc5vQAAwH+62E6+AADAfxYysb0AAMB/4/a4"
      + "PAAAwH9Abua8AADAf0cY2L0AAMB/o2dFPQAAwH8kJsQ9AADAf8z8HjsAAMB/dUZfPQAAwH8dyJW8AADAfywnRj4AAMB/9YXHvAAA"
      + "wH8IjLW9AADAf3a+tD0AAMB/4/AVPAAAwH9KzZC+AADAfwaJxL0AAMB/4HbiPAAAwH8/LTa9AADAfzM2KzsAAMB/6u4PPgAAwH8X"
      + "xp48AADAf09dqLwAAMB/8zpvPQAAwH/j/K+8AADAfw+5uzwAAMB/alaNPQAAwH+o0Se+AADAf5dyxb0AAMB/ekxQvgAAwH9uUpE9"
      + "AADAf9L6XL4AAMB/Z1sGPQAAwH+u4SI+AADAf183ET0AAMB/evgPPgAAwH9NeRi9AADAfyrsCAgoCAcQAUIBVkrgCAw4LD5HK5o9"
      + "c1SaPcAJ6T0PCw897+qCvbDjo72H4aO9oEsMPgSLFb7gRXS93pQDvQcCuDzCqWs9qND/vUQnMb7Tbue5son4PaYLmz0/qbA8LugB"
      + "vZA38DwRV8e8KV2nPeyzor1Q8Fs8j4A1vF2PXj0dBrg80I+CPlZ2GT4RRBk+X9hQvslkC71zSXm96DNaPVBfab6PifA9qITaPQJV"
      + "Bb4gaMi9fRSkvTzfjTtYRYM9G7RRPk+/obw9L5099aJ+PGo3ND5z/pc9uyMMPji13L3Ne528HammvUsbGj5Gr4Y9bfn5vLNUOb3M"
      + "hEY9kqqPvamVvr1KIUU9iDl8PvOhybzArmO9WtrvvYO0CL57CFc9lT6uPYOCcDofOQg98Oo9PA8sYzxYRxy+L6U7vc+lNjx/ZKC9"
      + "RyVDvX3Bp72pmQi9creuPQuJJr0LGny8R6amPYcMhD3ali0+0BBWvhd8rz0ni0W92K1cPJ+Qqz2q2d096tvUPXcgfjxX1CQ+/8/n"
      + "vBr8ZrwHtaM9l9dhvd1GXT7Hu9A9Z8dePkFBLru/6Ry9gtiIPPdwlj1CnHC9nYYbPc9B3LohciU+qbiHvQJB1j3/3IO95rzEvSZ4"
      + "kb0FwPO9ysdvPMUz0z1Um4Y8O7l/PXgiJz6nNN08g+CfPJJU4bwbryS+M5ibPY/cM74Lq4U9E7O7us3D5j3QEd67ZpeovZ2ZEj0F"
      + "eWW9Zj2UvMMziTs9cly8taqavBd8qr078Jq8Uvdavu/igLyjXPW9FW7lPV8KAj74yEe+gm5tPN8IT7wLXta94MNZPagbPb2NADW+"
      + "J3bavN3lcrxnYC48Eij8vdMufD0in5Y9WqrqvQLvhr3qnwO8ks1nvXuPMj7Nsqo8m/fOvZtnob2MUby7dxZrPr0Ikrx921A8kI1S"
      + "PRN8g7soimk+b7ZZva5pmD1IboM8KnF+Pfv58L0DDjU+VRxHvHLkXzuve7+9DHGVvcscZz0CCco9PkSaPd2Y9z3MU5I9CIc6Ow5S"
      + "qz3QI3M9U8gkvB+zlD3JpwM+LCnAPNDmEb0tMZM9SKJCPhB+rLx3PRe8RXlfvFd5+j0NITy+q9kVPfgs9D20lKa9p3gYPjhDWz2X"
      + "4mC9OTunPMshHb5rqGe9MBM7PhMNt71X4jw+cqYFvPu0yz1+1487GIdlvtiOar0vh5s86rbrvZD5Cb5f/RU9DQCFvRinLb5XG4y9"
      + "cEewPeALQr0Bcb89i2QcPsoXVTvyW+e9v0cFvqkOLLuxcLQ9m2DcPBMoYD3ClzW9OBv2PE8MQb2sXgW9d1MEvp/+IL7TaEW9G9bi"
      + "veNZxL03bok9/3AvvAg0lT4Bt709RK2Bvf5Vnz2aJRI9cG2MvbvP4T2NyZ690Zacvt2foj1Q1Hy9lSsYPokNhb398PG9/48ePhdD"
      + "3L3AnqY8u3MUPquXOzzDBwS8gc8nPJPWqz0yPKW9Wh56Pb9ebD2l3m4+Q9cJvW9bu70wq5Y99awivQ/Y7DxaJwoIZmVhdHVyZXMS"
      + "GwoZCAESFQoHEgViYXRjaAoGEgR0aW1lCgIIKFoaCgdsZW5ndGhzEg8KDQgHEgkKBxIFYmF0Y2hiJgoPbmVnYXRpdmVfbG9naXRz"
      + "EhMKEQgBEg0KBxIFYmF0Y2gKAggCYiUKDmVtb3Rpb25fbG9naXRzEhMKEQgBEg0KBxIFYmF0Y2gKAggHQgQKABAN"
      ;
}
