/**
 * How many bytes to hand to one OpenSSL update() call in bulk crypto. Node allocates a new output buffer per call,
 * and outputs of 64 KiB or more cost far more per byte: AES-128-CBC drops from ~800 to ~500 MB/s and AES-128-CTR
 * (copied into a reused buffer) from ~1.9 to ~0.7 GB/s, while 16-32 KiB keeps the per-call overhead small
 * (bench/crypto-slice.ts, Node 20.20 on this project's 2-core EPYC VM).
 */
export const CRYPTO_SLICE = 32768
