/* token.h - facilitator tokens: "cat_" followed by 32 random bytes (getrandom) in
 * base64url without padding. Only a token's SHA-256 is stored; checking a presented token
 * hashes it and compares hashes in constant time, so neither the database nor response
 * timing tells anything about a valid token.
 *
 * Owns no state; safe from any thread. */
#ifndef CITYATLAS_SCENARIO_TOKEN_H
#define CITYATLAS_SCENARIO_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define TOKEN_PREFIX "cat_"
#define TOKEN_PARTICIPANT_PREFIX "cap_" /* a participant's credential (issue 12): same shape */
#define TOKEN_PREFIX_LEN 4
#define TOKEN_RANDOM_BYTES 32
#define TOKEN_TEXT_LEN (4 + 43) /* prefix + base64url of 32 bytes without padding */
#define TOKEN_HASH_HEX_LEN 64   /* SHA-256 as lowercase hex */

/* Writes a new token into out (TOKEN_TEXT_LEN characters and a NUL). ERR_IO when the
 * kernel gives no randomness. */
int token_generate(char out[TOKEN_TEXT_LEN + 1], struct err *err) WARN_UNUSED;

/* The same with another prefix of TOKEN_PREFIX_LEN characters (TOKEN_PARTICIPANT_PREFIX). */
int token_generate_as(char out[TOKEN_TEXT_LEN + 1], const char *prefix,
                      struct err *err) WARN_UNUSED;
bool token_is_well_formed_as(const char *token, size_t len, const char *prefix);

/* SHA-256 of token[len] as lowercase hex into out (TOKEN_HASH_HEX_LEN characters + NUL). */
void token_hash(const char *token, size_t len, char out[TOKEN_HASH_HEX_LEN + 1]);

/* True when token[len] has the shape of a token (prefix, length, base64url alphabet);
 * anything else can be refused without a database lookup. */
bool token_is_well_formed(const char *token, size_t len);

/* Compares two hashes (TOKEN_HASH_HEX_LEN characters each) in time independent of where
 * they differ. */
bool token_hash_equal(const char *a_hex, const char *b_hex);

/* A token's name as the CLI takes it: 1..STORE_TOKEN_NAME_MAX bytes of UTF-8 without
 * control characters. ERR_INVALID saying what is wrong. */
int token_name_check(const char *name, struct err *err) WARN_UNUSED;

#endif
