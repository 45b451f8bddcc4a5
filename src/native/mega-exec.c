/*
 * mega-exec: the `mega-<cmd>` executables' client, in C so that a call costs no Node start (MEGAcmd's own
 * client, `mega-exec`, is C++ for the same reason): ~1 ms and ~2 MiB where the Node client needs ~50 ms and ~40.
 *
 * It speaks the protocol of src/daemon/protocol.cts to a server that already runs, and nothing else: when the
 * socket is absent, not the user's, not answering, or its server is of another build, it hands the call to the
 * Node thin client (src/daemon/thin-client.cts) before anything was sent, by running the invoked `mega-<cmd>`
 * again with MEGA_SHELL_NODE_CLIENT=1 (bin/mega-shim then starts the Node client). That client starts servers,
 * replaces old ones, explains foreign sockets, and falls back to running in-process: one implementation of it all.
 * A question the command asks is put by bin/ask.cjs (Node, started only then), so that it looks and validates as
 * everywhere else (src/command/terminal-prompt.cts); with no terminal it is answered "unavailable" (exit 51).
 *
 * Usage (from bin/mega-shim): mega-exec <bin folder> <invoked path> <args…>
 * Built by scripts/build-native.js when a C compiler is present, with -DMEGA_BUILD_ID="<the build stamp>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MEGA_BUILD_ID
#error "MEGA_BUILD_ID must be defined (scripts/build-native.js)"
#endif

/* protocol.cts: PROTOCOL_VERSION and FrameType. */
#define PROTOCOL_VERSION 1
enum {HELLO = 1, RUN = 2, STDOUT_FRAME = 3, STDERR_FRAME = 4, EXIT_FRAME = 5, PROMPT = 6, PROMPT_ANSWER = 7,
      SIGNAL_FRAME = 8, ERROR_FRAME = 11};
#define MAX_FRAME_BYTES (64u * 1024u * 1024u)
/* socket-path.cts MAX_SOCKET_PATH_BYTES: a longer profile path has its socket elsewhere (the Node client's case). */
#define MAX_SOCKET_PATH_BYTES 103
/* thin-client.cts SERVER_LOST_EXIT (MEGAcmd's EUNEXPECTED). */
#define SERVER_LOST_EXIT 59

static char **handoff_argv;
static const char *bin_folder;
static volatile sig_atomic_t pending_signal;

/* ---- growable byte buffer ---- */
typedef struct { char *data; size_t length, capacity; } Buffer;

static void grow(Buffer *b, size_t more) {
  if (b->length + more <= b->capacity) return;
  size_t capacity = b->capacity ? b->capacity : 1024;
  while (capacity < b->length + more) capacity *= 2;
  char *data = realloc(b->data, capacity);
  if (!data) { fputs("mega-exec: out of memory\n", stderr); exit(SERVER_LOST_EXIT); }
  b->data = data;
  b->capacity = capacity;
}

static void append(Buffer *b, const char *bytes, size_t n) { grow(b, n); memcpy(b->data + b->length, bytes, n); b->length += n; }
static void appends(Buffer *b, const char *text) { append(b, text, strlen(text)); }

static void appendf(Buffer *b, const char *format, ...) {
  char text[64];
  va_list args;
  va_start(args, format);
  int n = vsnprintf(text, sizeof text, format, args);
  va_end(args);
  append(b, text, (size_t)n);
}

/* A JSON string. Bytes ≥ 0x80 pass as they are: the server decodes the payload as UTF-8, as Node decodes argv. */
static void append_json_string(Buffer *b, const char *text) {
  appends(b, "\"");
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    if (*p == '"' || *p == '\\') { char escaped[2] = {'\\', (char)*p}; append(b, escaped, 2); }
    else if (*p < 0x20) appendf(b, "\\u%04x", *p);
    else append(b, (const char *)p, 1);
  }
  appends(b, "\"");
}

/* ---- hand-off to the Node client: only before the RUN frame is sent ---- */
static void hand_off(void) {
  setenv("MEGA_SHELL_NODE_CLIENT", "1", 1);
  execv(handoff_argv[0], handoff_argv);
  perror("mega-exec: cannot run the Node client");
  exit(SERVER_LOST_EXIT);
}

/* ---- socket I/O ---- */
static int write_all(int fd, const char *data, size_t n) {
  while (n > 0) {
    ssize_t written = write(fd, data, n);
    if (written < 0) { if (errno == EINTR) continue; return -1; }
    data += written;
    n -= (size_t)written;
  }
  return 0;
}

static int send_frame(int fd, int type, const Buffer *payload) {
  unsigned char header[5] = {(unsigned char)type, (unsigned char)(payload->length >> 24), (unsigned char)(payload->length >> 16),
                             (unsigned char)(payload->length >> 8), (unsigned char)payload->length};
  if (write_all(fd, (const char *)header, 5) < 0) return -1;
  return write_all(fd, payload->data, payload->length);
}

/* Reads exactly n bytes; 0 on success, -1 at end of stream or on an error. Signals interrupt poll(), not this. */
static int read_exact(int fd, char *into, size_t n) {
  while (n > 0) {
    ssize_t got = read(fd, into, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return -1;
    into += got;
    n -= (size_t)got;
  }
  return 0;
}

/* One frame into `payload` (NUL-terminated for the JSON ones); returns its type, or -1 when the server is gone. */
static int read_frame(int fd, Buffer *payload) {
  unsigned char header[5];
  if (read_exact(fd, (char *)header, 5) < 0) return -1;
  uint32_t length = ((uint32_t)header[1] << 24) | ((uint32_t)header[2] << 16) | ((uint32_t)header[3] << 8) | header[4];
  if (length > MAX_FRAME_BYTES) return -1;
  payload->length = 0;
  grow(payload, (size_t)length + 1);
  if (read_exact(fd, payload->data, length) < 0) return -1;
  payload->length = length;
  payload->data[length] = '\0';
  return header[0];
}

/*
 * A field of a flat JSON object written by JSON.stringify. Searching for `"name":` is exact there: inside a JSON
 * string every quote is escaped, so `":` cannot occur in a value.
 */
static const char *json_field(const char *json, const char *name) {
  char key[64];
  snprintf(key, sizeof key, "\"%s\":", name);
  const char *at = strstr(json, key);
  return at ? at + strlen(key) : NULL;
}

static long json_number(const char *json, const char *name, long otherwise) {
  const char *value = json_field(json, name);
  return value ? strtol(value, NULL, 10) : otherwise;
}

static void put_utf8(Buffer *b, unsigned long c) {
  char out[4];
  if (c < 0x80) { out[0] = (char)c; append(b, out, 1); }
  else if (c < 0x800) { out[0] = (char)(0xC0 | c >> 6); out[1] = (char)(0x80 | (c & 0x3F)); append(b, out, 2); }
  else if (c < 0x10000) { out[0] = (char)(0xE0 | c >> 12); out[1] = (char)(0x80 | ((c >> 6) & 0x3F)); out[2] = (char)(0x80 | (c & 0x3F)); append(b, out, 3); }
  else { out[0] = (char)(0xF0 | c >> 18); out[1] = (char)(0x80 | ((c >> 12) & 0x3F)); out[2] = (char)(0x80 | ((c >> 6) & 0x3F)); out[3] = (char)(0x80 | (c & 0x3F)); append(b, out, 4); }
}

/* A string field, unescaped (JSON.stringify escapes ", \, control characters and lone surrogates). */
static void json_string(const char *json, const char *name, Buffer *into) {
  into->length = 0;
  const char *p = json_field(json, name);
  if (p && *p == '"') {
    for (p++; *p && *p != '"'; p++) {
      if (*p != '\\') { append(into, p, 1); continue; }
      switch (*++p) {
        case 'n': appends(into, "\n"); break;
        case 't': appends(into, "\t"); break;
        case 'r': appends(into, "\r"); break;
        case 'b': appends(into, "\b"); break;
        case 'f': appends(into, "\f"); break;
        case 'u': {
          char hex[5] = {0};
          for (int i = 0; i < 4 && p[1]; i++) hex[i] = *++p;
          unsigned long c = strtoul(hex, NULL, 16);
          if (c >= 0xD800 && c < 0xDC00 && p[1] == '\\' && p[2] == 'u') {
            char low[5] = {p[3], p[4], p[5], p[6], 0};
            unsigned long l = strtoul(low, NULL, 16);
            if (l >= 0xDC00 && l < 0xE000) { c = 0x10000 + ((c - 0xD800) << 10) + (l - 0xDC00); p += 6; }
          }
          put_utf8(into, c);
          break;
        }
        case '\0': p--; break;
        default: append(into, p, 1);
      }
    }
  }
  append(into, "", 1);
  into->length--;
}

/* ---- where the server is (home.cts megaHomeOf, socket-path.cts socketPathFor) ---- */
static int socket_path(char *path, size_t size) {
  const char *home = getenv("MEGA_SHELL_HOME");
  int n;
  if (home && *home) n = snprintf(path, size, "%s/server.sock", home);
  else if (getenv("XDG_DATA_HOME") && *getenv("XDG_DATA_HOME")) n = snprintf(path, size, "%s/mega-shell/server.sock", getenv("XDG_DATA_HOME"));
  else if (getenv("HOME")) n = snprintf(path, size, "%s/.local/share/mega-shell/server.sock", getenv("HOME"));
  else return -1;
  return n > 0 && n <= MAX_SOCKET_PATH_BYTES ? 0 : -1;
}

/* A connection to the user's own running server of this build, or -1. */
static int connect_server(void) {
  char path[MAX_SOCKET_PATH_BYTES + 64];
  struct stat st;
  /* Never connect to a socket that is not the user's: the environment sent may hold a password (socket-path.cts). */
  if (socket_path(path, sizeof path) < 0 || lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode) || st.st_uid != getuid()) return -1;
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_un address = {.sun_family = AF_UNIX};
  memcpy(address.sun_path, path, strlen(path) + 1);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) { close(fd); return -1; }
  Buffer hello = {0};
  appendf(&hello, "{\"protocol\":%d,\"build\":", PROTOCOL_VERSION);
  append_json_string(&hello, MEGA_BUILD_ID);
  appendf(&hello, ",\"pid\":%ld}", (long)getpid());
  Buffer reply = {0}, build = {0};
  int ok = send_frame(fd, HELLO, &hello) == 0 && read_frame(fd, &reply) == HELLO &&
           json_number(reply.data, "protocol", -1) == PROTOCOL_VERSION &&
           (json_string(reply.data, "build", &build), strcmp(build.data, MEGA_BUILD_ID) == 0);
  free(hello.data);
  free(reply.data);
  free(build.data);
  if (!ok) { close(fd); return -1; }
  return fd;
}

/* ---- the RUN request (protocol.cts RunRequest, isForwardedVariable) ---- */
static int forwarded(const char *name, size_t length) {
  static const char *const names[] = {"TZ", "LANG", "LANGUAGE", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES",
    "TMPDIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "NODE_EXTRA_CA_CERTS", NULL};
  if ((length >= 5 && strncmp(name, "MEGA_", 5) == 0) || (length >= 3 && strncmp(name, "LC_", 3) == 0)) return 1;
  for (const char *const *n = names; *n; n++) if (strlen(*n) == length && strncmp(*n, name, length) == 0) return 1;
  return 0;
}

static void append_run(Buffer *run, const char *command, int argc, char **argv) {
  appends(run, "{\"argv\":[");
  append_json_string(run, command);
  for (int i = 0; i < argc; i++) { appends(run, ","); append_json_string(run, argv[i]); }
  appends(run, "],\"cwd\":");
  char *cwd = getcwd(NULL, 0);
  if (!cwd) { fputs("The current directory no longer exists\n", stderr); exit(53); }
  append_json_string(run, cwd);
  free(cwd);
  appends(run, ",\"env\":{");
  extern char **environ;
  int first = 1;
  for (char **e = environ; *e; e++) {
    const char *equals = strchr(*e, '=');
    if (!equals || !forwarded(*e, (size_t)(equals - *e))) continue;
    /* bin/mega-shim carries NODE_EXTRA_CA_CERTS under this name for the Node client; it is the caller's own. */
    if (strncmp(*e, "MEGA_SHELL_EXTRA_CA_CERTS=", 26) == 0) continue;
    char name[256];
    size_t length = (size_t)(equals - *e) < sizeof name - 1 ? (size_t)(equals - *e) : sizeof name - 1;
    memcpy(name, *e, length);
    name[length] = '\0';
    if (!first) appends(run, ",");
    first = 0;
    append_json_string(run, name);
    appends(run, ":");
    append_json_string(run, equals + 1);
  }
  appends(run, "},\"tty\":{");
  int in = isatty(0), out = isatty(1), err = isatty(2);
  appendf(run, "\"stdin\":%s,\"stdout\":%s,\"stderr\":%s", in ? "true" : "false", out ? "true" : "false", err ? "true" : "false");
  struct winsize size;
  if ((out || err) && ioctl(out ? 1 : 2, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) appendf(run, ",\"columns\":%d,\"rows\":%d", size.ws_col, size.ws_row);
  appends(run, "},\"client\":\"native\"}");
}

/*
 * The answer (PROMPT_ANSWER without its id: `{"value":…}` or `{"cancelled":true}`) to a question, asked on this
 * terminal by bin/ask.cjs, which writes it to its fd 3.
 */
static void ask_on_terminal(const char *kind, const char *message, Buffer *answer) {
  answer->length = 0;
  int channel[2];
  if (!isatty(0) || !isatty(1)) { appends(answer, "{\"unavailable\":true}"); return; }
  char script[4096];
  snprintf(script, sizeof script, "%s/ask.cjs", bin_folder);
  pid_t child = pipe(channel) == 0 ? fork() : -1;
  if (child == 0) {
    close(channel[0]);
    if (dup2(channel[1], 3) < 0) _exit(127);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execlp("node", "node", script, kind, message, (char *)NULL);
    _exit(127);
  }
  if (child > 0) {
    close(channel[1]);
    char chunk[4096];
    for (;;) {
      ssize_t got = read(channel[0], chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      append(answer, chunk, (size_t)got);
    }
    close(channel[0]);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
  }
  if (answer->length < 2 || answer->data[0] != '{' || answer->data[answer->length - 1] != '}') {
    answer->length = 0;
    appends(answer, "{\"cancelled\":true}");
  }
}

static void on_signal(int number) { pending_signal = number; }

int main(int argc, char **argv) {
  if (argc < 3) { fputs("usage: mega-exec <bin folder> <invoked path> [args…]\n", stderr); return 51; }
  bin_folder = argv[1];
  /* The hand-off runs the `mega-<cmd>` the user ran, with the same arguments. */
  handoff_argv = argv + 2;
  const char *invoked = argv[2];
  const char *base = strrchr(invoked, '/') ? strrchr(invoked, '/') + 1 : invoked;
  const char *command = strncmp(base, "mega-", 5) == 0 ? base + 5 : base;

  /* Until the command runs, a signal ends this client as it would end the Node one. */
  struct sigaction action = {.sa_handler = on_signal};
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
  /* A reader that went away (`| head -1`) is ignored, as the Node client does: the command still ends normally. */
  signal(SIGPIPE, SIG_IGN);

  int fd = connect_server();
  if (pending_signal) { fputs("Interrupted\n", stderr); return 130; }
  if (fd < 0) hand_off();
  Buffer run = {0};
  append_run(&run, command, argc - 3, argv + 3);
  if (send_frame(fd, RUN, &run) < 0) hand_off();
  free(run.data);

  Buffer frame = {0}, text = {0};
  int stdout_gone = 0;
  for (;;) {
    if (pending_signal) {
      /* Ctrl-C, SIGTERM, a closed terminal: the server interrupts the command, which ends with 130. */
      Buffer sig = {0};
      appends(&sig, pending_signal == SIGINT ? "{\"signal\":\"SIGINT\"}" : "{\"signal\":\"SIGTERM\"}");
      pending_signal = 0;
      send_frame(fd, SIGNAL_FRAME, &sig);
      free(sig.data);
    }
    struct pollfd waiting = {.fd = fd, .events = POLLIN};
    if (poll(&waiting, 1, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    int type = read_frame(fd, &frame);
    if (type < 0) break;
    switch (type) {
      case STDOUT_FRAME:
        if (!stdout_gone && write_all(1, frame.data, frame.length) < 0 && errno == EPIPE) stdout_gone = 1;
        break;
      case STDERR_FRAME:
        write_all(2, frame.data, frame.length);
        break;
      case PROMPT: {
        Buffer kind = {0}, answer = {0}, reply = {0};
        json_string(frame.data, "kind", &kind);
        json_string(frame.data, "message", &text);
        ask_on_terminal(kind.data, text.data, &answer);
        appendf(&reply, "{\"id\":%ld,", json_number(frame.data, "id", 0));
        append(&reply, answer.data + 1, answer.length - 1);
        send_frame(fd, PROMPT_ANSWER, &reply);
        free(kind.data);
        free(answer.data);
        free(reply.data);
        break;
      }
      case EXIT_FRAME:
        return (int)json_number(frame.data, "code", SERVER_LOST_EXIT);
      case ERROR_FRAME:
        json_string(frame.data, "message", &text);
        fprintf(stderr, "%s\n", text.data);
        return (int)json_number(frame.data, "exitCode", SERVER_LOST_EXIT);
      default:
        break;
    }
  }
  fputs("The mega-shell server stopped before the command ended\n", stderr);
  return SERVER_LOST_EXIT;
}
