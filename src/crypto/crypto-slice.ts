/**
 * How many bytes to hand to one OpenSSL update() call in bulk crypto. Node allocates a new output buffer per call;
 * outputs of 64 KiB or more cost so much more per byte that AES-CBC drops from ~800 to ~500 MB/s and AES-CTR from
 * ~1.8 to ~1.0 GB/s, while 16-32 KiB keeps the per-call overhead small (measured on Node 20.20, this machine's
 * EPYC VM, 256 MiB in slices of 16/32/48/64/128/256 KiB; /tmp/tx/b3.mjs in the transfer engine's notes).
 */
export const CRYPTO_SLICE = 32768
