// The bulk crypto of a MEGA file transfer, as a Node-API addon: AES-128-CTR over a piece of the file, in place, and
// the CBC-MAC of every MAC chunk the piece covers (mega-api.md §2.6, §5.2; the SDK's SymmCipher::ctr_crypt and
// chunkmac_map). Built by scripts/build-native.js; without it the transfer engine uses OpenSSL through node:crypto
// on a worker thread (src/transfer/crypto-workers.ts), with the same results, which the tests compare.
//
// Why native: through node:crypto every update() returns a new buffer, so CTR costs a copy back and CBC-MAC writes
// a whole ciphertext only to keep its last block, and a chunk's CBC chain is serial: ~570 ms of CPU per 256 MiB
// (profiled, Node 20). Chunks are independent, so here eight chunk MACs advance side by side: AES-NI's latency is
// hidden behind the other lanes instead of stalling each chain. The work runs on libuv's thread pool.
#include <node_api.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wmmintrin.h>

#define LANES 8

typedef struct {
  __m128i round[11];
} AesKey;

static __m128i expand_step(__m128i key, __m128i assist) {
  assist = _mm_shuffle_epi32(assist, 0xff);
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
  return _mm_xor_si128(key, assist);
}

// AES-128 key schedule (FIPS-197 §5.2) with AESKEYGENASSIST; the round constant must be an immediate.
#define EXPAND(i, rcon) k->round[i] = expand_step(k->round[i - 1], _mm_aeskeygenassist_si128(k->round[i - 1], rcon))

static void expand_key(AesKey *k, const uint8_t *key) {
  k->round[0] = _mm_loadu_si128((const __m128i *)key);
  EXPAND(1, 0x01);
  EXPAND(2, 0x02);
  EXPAND(3, 0x04);
  EXPAND(4, 0x08);
  EXPAND(5, 0x10);
  EXPAND(6, 0x20);
  EXPAND(7, 0x40);
  EXPAND(8, 0x80);
  EXPAND(9, 0x1b);
  EXPAND(10, 0x36);
}

static inline __m128i encrypt_block(const AesKey *k, __m128i block) {
  block = _mm_xor_si128(block, k->round[0]);
  for (int r = 1; r < 10; r++) block = _mm_aesenc_si128(block, k->round[r]);
  return _mm_aesenclast_si128(block, k->round[10]);
}

// The counter block of a file's 16-byte block `index`: nonce (8 bytes) ‖ index as a big-endian 64-bit number.
static inline __m128i counter_block(uint64_t nonce, uint64_t index) {
  return _mm_set_epi64x((long long)__builtin_bswap64(index), (long long)nonce);
}

// AES-CTR in place; `first` is the index of data's first block in the file (pieces start on block boundaries).
static void ctr_in_place(const AesKey *k, uint64_t nonce, uint64_t first, uint8_t *data, size_t length) {
  size_t at = 0;
  uint64_t index = first;
  for (; at + 16 * LANES <= length; at += 16 * LANES, index += LANES) {
    __m128i s[LANES];
    for (int l = 0; l < LANES; l++) s[l] = _mm_xor_si128(counter_block(nonce, index + l), k->round[0]);
    for (int r = 1; r < 10; r++)
      for (int l = 0; l < LANES; l++) s[l] = _mm_aesenc_si128(s[l], k->round[r]);
    for (int l = 0; l < LANES; l++) {
      __m128i *p = (__m128i *)(data + at + 16 * l);
      _mm_storeu_si128(p, _mm_xor_si128(_mm_loadu_si128(p), _mm_aesenclast_si128(s[l], k->round[10])));
    }
  }
  for (; at < length; at += 16, index++) {
    uint8_t stream[16];
    _mm_storeu_si128((__m128i *)stream, encrypt_block(k, counter_block(nonce, index)));
    size_t n = length - at < 16 ? length - at : 16;
    for (size_t i = 0; i < n; i++) data[at + i] ^= stream[i];
  }
}

// Block `b` of a chunk, the last one zero-padded (MEGA pads the MAC input, not the file).
static inline __m128i chunk_block(const uint8_t *chunk, size_t length, size_t b) {
  size_t at = b * 16;
  if (at + 16 <= length) return _mm_loadu_si128((const __m128i *)(chunk + at));
  uint8_t padded[16] = {0};
  memcpy(padded, chunk + at, length - at);
  return _mm_loadu_si128((const __m128i *)padded);
}

// CBC-MAC (IV = nonce ‖ nonce) of each chunk, LANES chunks at a time; macs receives 16 bytes per chunk.
static void chunk_macs(const AesKey *k, __m128i iv, const uint8_t *data, const uint32_t *lengths, size_t count, uint8_t *macs) {
  size_t offset = 0;
  for (size_t group = 0; group < count; group += LANES) {
    size_t lanes = count - group < LANES ? count - group : LANES;
    const uint8_t *chunk[LANES];
    size_t length[LANES], blocks[LANES], most = 0;
    __m128i s[LANES];
    for (size_t l = 0; l < lanes; l++) {
      chunk[l] = data + offset;
      length[l] = lengths[group + l];
      offset += length[l];
      blocks[l] = (length[l] + 15) / 16;
      if (blocks[l] > most) most = blocks[l];
      s[l] = iv;
    }
    // While every lane has a block, all of them advance in step; then the longer ones finish alone.
    size_t common = most;
    for (size_t l = 0; l < lanes; l++) if (blocks[l] < common) common = blocks[l];
    size_t b = 0;
    if (lanes == LANES) {
      for (; b < common; b++) {
        for (int l = 0; l < LANES; l++) s[l] = _mm_xor_si128(_mm_xor_si128(s[l], chunk_block(chunk[l], length[l], b)), k->round[0]);
        for (int r = 1; r < 10; r++)
          for (int l = 0; l < LANES; l++) s[l] = _mm_aesenc_si128(s[l], k->round[r]);
        for (int l = 0; l < LANES; l++) s[l] = _mm_aesenclast_si128(s[l], k->round[10]);
      }
    }
    for (size_t l = 0; l < lanes; l++)
      for (size_t c = b; c < blocks[l]; c++) s[l] = encrypt_block(k, _mm_xor_si128(s[l], chunk_block(chunk[l], length[l], c)));
    for (size_t l = 0; l < lanes; l++) _mm_storeu_si128((__m128i *)(macs + 16 * (group + l)), s[l]);
  }
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref buffer;
  // The `data` argument, valid during the call that made the job only.
  napi_value data_value;
  uint8_t *data;
  size_t length;
  int seal;
  uint8_t key[16], counter[16], iv[16];
  uint32_t *lengths;
  size_t count;
  uint8_t *macs;
} Job;

static void run_job(napi_env env, void *arg) {
  (void)env;
  Job *job = arg;
  AesKey k;
  expand_key(&k, job->key);
  uint64_t nonce, first;
  memcpy(&nonce, job->counter, 8);
  memcpy(&first, job->counter + 8, 8);
  first = __builtin_bswap64(first);
  __m128i iv = _mm_loadu_si128((const __m128i *)job->iv);
  // Upload: MAC the plaintext, then encrypt it. Download: decrypt, then MAC the plaintext.
  if (job->seal) chunk_macs(&k, iv, job->data, job->lengths, job->count, job->macs);
  ctr_in_place(&k, nonce, first, job->data, job->length);
  if (!job->seal) chunk_macs(&k, iv, job->data, job->lengths, job->count, job->macs);
}

static void free_job(napi_env env, Job *job) {
  if (job->buffer) napi_delete_reference(env, job->buffer);
  if (job->work) napi_delete_async_work(env, job->work);
  free(job->lengths);
  free(job->macs);
  free(job);
}

static void finish_job(napi_env env, napi_status status, void *arg) {
  Job *job = arg;
  napi_value macs;
  if (status == napi_ok && napi_create_buffer_copy(env, job->count * 16, job->macs, NULL, &macs) == napi_ok) {
    napi_resolve_deferred(env, job->deferred, macs);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "file crypto: the job did not run", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  free_job(env, job);
}

// Throws a TypeError; NULL, for a napi_value or a Job* alike.
static void *throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

// Copies exactly 16 bytes from a Uint8Array argument.
static int take16(napi_env env, napi_value value, uint8_t *out) {
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok) return 0;
  if (type != napi_uint8_array || length != 16) return 0;
  memcpy(out, data, 16);
  return 1;
}

// Reads processPiece's arguments (seal: boolean, data: Uint8Array, key, counter, iv: 16-byte Uint8Arrays,
// lengths: Uint32Array) into a new job; NULL with a TypeError thrown when they are not that.
static Job *job_of(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 6) return throw_type(env, "processPiece takes 6 arguments");
  Job *job = calloc(1, sizeof(Job));
  if (!job) return throw_type(env, "out of memory");
  bool seal;
  napi_typedarray_type type;
  void *data;
  size_t count;
  void *lengths;
  if (napi_get_value_bool(env, argv[0], &seal) != napi_ok ||
      napi_get_typedarray_info(env, argv[1], &type, &job->length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array ||
      !take16(env, argv[2], job->key) || !take16(env, argv[3], job->counter) || !take16(env, argv[4], job->iv) ||
      napi_get_typedarray_info(env, argv[5], &type, &count, &lengths, NULL, NULL) != napi_ok || type != napi_uint32_array) {
    free(job);
    return throw_type(env, "processPiece(seal, data, key, counter, iv, lengths): bad argument");
  }
  uint64_t total = 0;
  for (size_t i = 0; i < count; i++) total += ((uint32_t *)lengths)[i];
  if (total != job->length) {
    free(job);
    return throw_type(env, "processPiece: the chunk lengths do not add up to the data's length");
  }
  job->seal = seal;
  job->data = data;
  job->count = count;
  job->lengths = malloc(count * sizeof(uint32_t) + 1);
  job->macs = malloc(count * 16 + 1);
  if (!job->lengths || !job->macs) {
    free_job(env, job);
    return throw_type(env, "out of memory");
  }
  memcpy(job->lengths, lengths, count * sizeof(uint32_t));
  job->data_value = argv[1];
  return job;
}

// processPiece(...) → Promise<Buffer> of the chunk MACs, the work done on libuv's thread pool. `data` is worked on
// in place and must not be touched until the promise settles.
static napi_value process_piece(napi_env env, napi_callback_info info) {
  Job *job = job_of(env, info);
  if (!job) return NULL;
  napi_value promise, name;
  napi_create_string_utf8(env, "megaFileCrypto", NAPI_AUTO_LENGTH, &name);
  // The data must outlive the call: a reference keeps its buffer from being collected until the job is done.
  if (napi_create_reference(env, job->data_value, 1, &job->buffer) != napi_ok ||
      napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_async_work(env, NULL, name, run_job, finish_job, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    free_job(env, job);
    return throw_type(env, "processPiece: could not queue the job");
  }
  return promise;
}

// processPieceSync(...) → Buffer of the chunk MACs, on the calling thread: for small pieces, where the trip through
// the thread pool and a promise costs more than the work (a 1 KiB file: ~1 µs of AES).
static napi_value process_piece_sync(napi_env env, napi_callback_info info) {
  Job *job = job_of(env, info);
  if (!job) return NULL;
  run_job(env, job);
  napi_value macs;
  if (napi_create_buffer_copy(env, job->count * 16, job->macs, NULL, &macs) != napi_ok) macs = NULL;
  free_job(env, job);
  return macs;
}

NAPI_MODULE_INIT() {
  napi_value fn, fn_sync, supported;
  __builtin_cpu_init();
  // Without AES-NI this module has nothing to offer; the caller then uses node:crypto.
  napi_get_boolean(env, __builtin_cpu_supports("aes"), &supported);
  napi_create_function(env, "processPiece", NAPI_AUTO_LENGTH, process_piece, NULL, &fn);
  napi_set_named_property(env, exports, "processPiece", fn);
  napi_create_function(env, "processPieceSync", NAPI_AUTO_LENGTH, process_piece_sync, NULL, &fn_sync);
  napi_set_named_property(env, exports, "processPieceSync", fn_sync);
  napi_set_named_property(env, exports, "supported", supported);
  return exports;
}
