// Channel and server options tuned for large frames and model-file chunks on loopback.

/** Maximum message size accepted by every tabagent server and client (frames, chunks). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** A larger HTTP/2 flow-control window speeds up big messages on loopback. */
export const WINDOW_BYTES = 16 * 1024 * 1024;
/** Largest HTTP/2 DATA frame our peers are told to send (1 MiB chunks plus gRPC framing; HTTP/2 allows 2^24 - 1). */
export const MAX_FRAME_BYTES = (1 << 20) + 1024;

/** Options for grpc-js Server. */
export function grpcServerOptions(): Record<string, number> {
  return {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc-node.max_session_memory': 256,
    'grpc-node.flow_control_window': WINDOW_BYTES,
  };
}

/** Options for grpc-js clients. */
export function grpcChannelOptions(): Record<string, number> {
  return {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 1000,
    'grpc-node.flow_control_window': WINDOW_BYTES,
  };
}

/**
 * Options for clients of the ML child's wide-window server (the supervisor's link, benchmarks):
 * as grpcChannelOptions, but with the default 64 KiB receive window, so that only one end of the
 * connection is wide (see grpc-window.ts: wide windows on both ends can deadlock).
 */
export function grpcLinkChannelOptions(): Record<string, number> {
  const { 'grpc-node.flow_control_window': _wide, ...rest } = grpcChannelOptions();
  return rest;
}
