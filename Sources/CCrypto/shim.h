// OpenSSL's libcrypto, which libcurl already brings into the fetcher: HMAC and a
// comparison whose time does not depend on where two byte strings differ.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
