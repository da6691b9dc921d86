/* token.c - facilitator tokens: random text, its SHA-256, constant-time comparison. */
#include "scenario/token.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/sha2.h>

#include "store/store_scenario.h"

static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Fills buf[len] from the kernel's generator (blocking only before it is seeded at boot). */
static int random_bytes(unsigned char *buf, size_t len, struct err *err)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return err_set(err, ERR_IO, "no random bytes from the kernel: %s", strerror(errno));
        }
        got += (size_t)n;
    }
    return ERR_OK;
}

/* base64url without padding of in[len] into out (4 * ceil(len / 3) + 1 bytes is enough). */
static size_t encode_base64url(const unsigned char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        size_t left = len - i;
        if (left > 1) {
            v |= (uint32_t)in[i + 1] << 8;
        }
        if (left > 2) {
            v |= in[i + 2];
        }
        size_t chars = left >= 3 ? 4 : left + 1;
        for (size_t c = 0; c < chars; c++) {
            out[o++] = base64url[(v >> (18 - 6 * c)) & 0x3F];
        }
    }
    out[o] = '\0';
    return o;
}

int token_generate(char out[TOKEN_TEXT_LEN + 1], struct err *err)
{
    return token_generate_as(out, TOKEN_PREFIX, err);
}

int token_generate_as(char out[TOKEN_TEXT_LEN + 1], const char *prefix, struct err *err)
{
    unsigned char raw[TOKEN_RANDOM_BYTES];
    int rc = random_bytes(raw, sizeof(raw), err);
    if (rc != ERR_OK) {
        return rc;
    }
    memcpy(out, prefix, TOKEN_PREFIX_LEN);
    encode_base64url(raw, sizeof(raw), out + TOKEN_PREFIX_LEN);
    memset(raw, 0, sizeof(raw));
    return ERR_OK;
}

void token_hash(const char *token, size_t len, char out[TOKEN_HASH_HEX_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)token);
    sha256_digest(&ctx, sizeof(digest), digest);
    for (size_t i = 0; i < sizeof(digest); i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0x0F];
    }
    out[TOKEN_HASH_HEX_LEN] = '\0';
}

bool token_is_well_formed(const char *token, size_t len)
{
    return token_is_well_formed_as(token, len, TOKEN_PREFIX);
}

bool token_is_well_formed_as(const char *token, size_t len, const char *prefix_text)
{
    size_t prefix = TOKEN_PREFIX_LEN;
    if (len != TOKEN_TEXT_LEN || memcmp(token, prefix_text, prefix) != 0) {
        return false;
    }
    for (size_t i = prefix; i < len; i++) {
        if (token[i] == '\0' || strchr(base64url, token[i]) == NULL) {
            return false;
        }
    }
    return true;
}

bool token_hash_equal(const char *a_hex, const char *b_hex)
{
    /* Every byte is compared whatever the first difference: no early exit to time. */
    unsigned diff = 0;
    for (size_t i = 0; i < TOKEN_HASH_HEX_LEN; i++) {
        diff |= (unsigned)(unsigned char)a_hex[i] ^ (unsigned)(unsigned char)b_hex[i];
    }
    return diff == 0;
}

int token_name_check(const char *name, struct err *err)
{
    size_t len = strlen(name);
    if (len == 0 || len > STORE_TOKEN_NAME_MAX) {
        return err_set(err, ERR_INVALID, "a token name is 1 to %d bytes long",
                       STORE_TOKEN_NAME_MAX);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7F) {
            return err_set(err, ERR_INVALID, "a token name has no control characters");
        }
    }
    return ERR_OK;
}
