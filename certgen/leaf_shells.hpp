// Leaf certificates started ahead of need: an X509 with its version and subject public key
// already set, for the pooled leaf keys. OpenSSL 3 sets a provider key's public key by encoding
// it and decoding the result (X509_set_pubkey: about two thirds of a new host's leaf, measured
// with perf on certgen_bench), so a background thread does that before a host asks.
#pragma once

#include "certgen/openssl_ptr.hpp"

namespace tlsfault::certgen {

/// An X509 (version 3, public key of `key`) to fill in and sign: a prepared one when the pool
/// for `key` has one (then a refill is requested), else made now. Thread-safe. The pool holds a
/// reference to each key it prepares for, so a key's address is never mistaken for another's.
X509Ptr take_leaf_shell(EVP_PKEY* key);

/// Makes the pool for `key` ready before the first new host (tlsfault run's start-up).
void prepare_leaf_shells(EVP_PKEY* key);

}  // namespace tlsfault::certgen
