/*
 * uuid.c: version 4 (random) and version 5 (name-based, SHA-1) UUIDs
 * (RFC 9562 sections 5.4 and 5.5), written in their text form.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "hw-private.h"

/* Set the version (high nibble of octet 6) and the RFC 9562 variant
 * (10 in the two high bits of octet 8), then write the text form. */
static void uuid_text(unsigned char b[16], int version, char out[HW_UUID_TEXT])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, k = 0;

	b[6] = (unsigned char)((b[6] & 0x0f) | (version << 4));
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[b[i] >> 4];
		out[k++] = hex[b[i] & 15];
	}
	out[k] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 16 octets of a UUID's text; -1 if s is not one. */
static int uuid_octets(const char *s, unsigned char b[16])
{
	size_t i, k = 0;
	int hi, lo;

	if (s == NULL || strlen(s) != 36)
		return -1;
	for (i = 0; i < 36;) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i++] != '-')
				return -1;
			continue;
		}
		hi = hex_digit(s[i]);
		lo = hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		b[k++] = (unsigned char)(hi << 4 | lo);
		i += 2;
	}
	return 0;
}

int hw_uuid_valid(const char *s)
{
	unsigned char b[16];

	return uuid_octets(s, b) == 0;
}

int hw_uuid_v4(char out[HW_UUID_TEXT], struct hw_error *err)
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof b) != 1)
		return hw_error_set(err, HW_EIO,
				    "cannot make a random UUID (OpenSSL's "
				    "random generator failed)");
	uuid_text(b, 4, out);
	return 0;
}

int hw_uuid_v5(const char *ns, const char *name, char out[HW_UUID_TEXT],
	       struct hw_error *err)
{
	unsigned char b[16], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (uuid_octets(ns, b) < 0)
		return hw_error_set(err, HW_EINVAL,
				    "\"%s\" is not a UUID (expected "
				    "8-4-4-4-12 hexadecimal digits)",
				    ns ? ns : "");
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, b, sizeof b) == 1 &&
	     EVP_DigestUpdate(ctx, name, strlen(name)) == 1 &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen >= 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return hw_error_set(err, HW_ENOMEM,
				    "cannot compute a SHA-1 (OpenSSL)");
	memcpy(b, md, 16);
	uuid_text(b, 5, out);
	return 0;
}
