/**
 * The {@code tingxin} command line: {@code analyze}, {@code stream}, {@code model inspect},
 * {@code features} and {@code batch}, built with picocli. Entry point {@link io.github.tingxin.cli.Main};
 * documented in {@code docs/cli.md}.
 *
 * <p>One home for each concern: {@code ExitCodes} (the map from {@code ErrorCode.kind()}), the option
 * mixins every command shares ({@code ModelOption}, {@code ChannelOption}, {@code RecognizerOptions}, read
 * by the API's {@code RecognizerSettings.withOptions}), {@code ResultOutput} (results that could not be
 * written are exit 5), {@code OutputFiles} (never over an input, whole or not at all), {@code Text}
 * (control characters escaped), {@code BatchSupport} ({@code batch} only where Spark is) and
 * {@code Utf8Relaunch} (file names under any locale).
 *
 * <p>Results go to standard output (they are the product); messages, progress and logs go to standard
 * error and never contain audio, features or scores. The command line never opens a network connection.
 * Everything here is package-private except {@code Main}; it is an application, not an API.
 */
package io.github.tingxin.cli;
