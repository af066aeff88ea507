package io.github.tingxin.spark;

import java.io.Serializable;

/**
 * One input row, as the driver hands it to an executor.
 *
 * @param path the recording's URI or path
 * @param callId unique call id
 * @param callerId the caller's id, or null
 * @param channel canonical channel selection text ({@link io.github.tingxin.api.ChannelSelection#parse})
 * @param startedAt when the call started, as the manifest wrote it, or null
 * @param bytes the file's size, or -1 where it is not known (a manifest row; a file that could not be found)
 * @param errorCode set where the row is already known to be bad (e.g. no path); the executor reports it
 *     without reading anything
 * @param errorMessage the message for {@code errorCode}
 */
record CallTask(String path, String callId, String callerId, String channel, String startedAt, long bytes,
    String errorCode, String errorMessage) implements Serializable {
  private static final long serialVersionUID = 1L;

  static CallTask of(String path, String callId, String callerId, String channel, String startedAt, long bytes) {
    return new CallTask(path, callId, callerId, channel, startedAt, bytes, null, null);
  }

  CallTask withBytes(long size) {
    return new CallTask(path, callId, callerId, channel, startedAt, size, errorCode, errorMessage);
  }

  CallTask failing(String code, String message) {
    return new CallTask(path, callId, callerId, channel, startedAt, bytes, code, message);
  }
}
