/**
 * The {@code tingxin} command line: {@code analyze}, {@code stream}, {@code model inspect} and
 * {@code features}, built with picocli. Entry point {@link io.github.tingxin.cli.Main}; documented in
 * {@code docs/cli.md}.
 *
 * <p>Results go to standard output (they are the product); messages, progress and logs go to standard
 * error and never contain audio, features or scores. The command line never opens a network connection.
 * Everything here is package-private except {@code Main}; it is an application, not an API.
 */
package io.github.tingxin.cli;
