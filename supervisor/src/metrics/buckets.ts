// Histogram bucket upper bounds of the supervisor's metrics, in base units (seconds, texts).

/** Request durations: 1 ms to 2 min. */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Queue waits: 0.1 ms (a loaded model) to 2 min (a cold load of a big model). */
export const QUEUE_WAIT_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Time to first token: 1 ms to 2 min. */
export const TTFT_BUCKETS = DURATION_BUCKETS;

/** Inter-token latency: 0.1 ms (thousands of tokens/s) to 2.5 s. */
export const ITL_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Texts per embedding model call. */
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Conversion of a pulled model: 0.1 s to 30 min. */
export const CONVERSION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
