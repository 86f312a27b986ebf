// See leaf_shells.hpp. One refill thread for the process, started on first use and joined at
// exit; it sleeps while every pool is at its target.
#include "certgen/leaf_shells.hpp"

#include "certgen/certgen_error.hpp"

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace tlsfault::certgen {
namespace {

/// Shells kept ready per key: a burst of this many new hosts pays no public-key encoding.
constexpr std::size_t pool_target = 32;
/// Keys with a pool; past this the least recently added is dropped (tests make many PKIs).
constexpr std::size_t max_keys = 8;
/// When a pool lacks only the shell a lone new host just took, the refill waits `quiet_delay`
/// first: making a shell takes OpenSSL's provider locks dozens of times, and doing it while that
/// host is still signing on the other core slowed it by a fifth (`mint_new_host_spaced`). A burst
/// (two or more taken) is refilled at once, as before.
constexpr std::size_t low_water = pool_target - 1;
constexpr auto quiet_delay = std::chrono::milliseconds(1);

X509Ptr make_shell(EVP_PKEY* key) {
    X509Ptr cert(X509_new());
    if (!cert || !X509_set_version(cert.get(), X509_VERSION_3) || !X509_set_pubkey(cert.get(), key))
        throw_openssl_error("cannot prepare a certificate");
    return cert;
}

class ShellPools {
public:
    ~ShellPools() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (refiller_.joinable()) refiller_.join();
    }

    X509Ptr take(EVP_PKEY* key) {
        {
            std::lock_guard lock(mutex_);
            auto& pool = pool_for(key);
            if (!pool.ready.empty()) {
                X509Ptr shell = std::move(pool.ready.back());
                pool.ready.pop_back();
                wake_.notify_one();
                return shell;
            }
        }
        wake_.notify_one();
        return make_shell(key);  // the pool ran dry: this host pays, the refill catches up
    }

    void prepare(EVP_PKEY* key) {
        std::lock_guard lock(mutex_);
        pool_for(key);
        wake_.notify_one();
    }

private:
    struct Pool {
        EvpPkeyPtr key;  // a reference: the address stays this key's while pooled
        std::vector<X509Ptr> ready;
    };

    Pool& pool_for(EVP_PKEY* key) {  // mutex_ held
        if (!refiller_.joinable()) refiller_ = std::thread([this] { refill(); });
        for (auto& pool : pools_)
            if (pool.key.get() == key) return pool;
        if (pools_.size() >= max_keys) pools_.erase(pools_.begin());
        pools_.push_back(Pool{share(key), {}});
        return pools_.back();
    }

    /// The key of a pool below target, or nullptr; `urgent` says whether it is below low_water.
    /// mutex_ held.
    EvpPkeyPtr short_pool(bool& urgent) {
        for (auto& pool : pools_)
            if (pool.ready.size() < pool_target) {
                urgent = pool.ready.size() < low_water;
                return share(pool.key.get());
            }
        return nullptr;
    }

    void refill() {
        // Idle priority: a refill runs when its core has nothing else to run. At normal priority
        // it ran in the middle of the traffic that had just taken a shell (forwarding: the
        // upstream handshake, a millisecond after the mint, on the same core when pinned).
        // Should the refill fall behind under sustained load, take() makes the shell itself.
        sched_param no_priority{};
        pthread_setschedparam(pthread_self(), SCHED_IDLE, &no_priority);
        std::unique_lock lock(mutex_);
        for (;;) {
            EvpPkeyPtr key;
            bool urgent = false;
            wake_.wait(lock, [&] { return stopping_ || (key = short_pool(urgent)) != nullptr; });
            if (!stopping_ && !urgent) wake_.wait_for(lock, quiet_delay, [&] { return stopping_; });
            if (stopping_) return;
            lock.unlock();
            X509Ptr shell;
            try {
                shell = make_shell(key.get());
            } catch (const std::exception&) {  // take() makes its own and reports the error
            }
            lock.lock();
            if (!shell) return;
            for (auto& pool : pools_)
                if (pool.key.get() == key.get()) pool.ready.push_back(std::move(shell));
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Pool> pools_;
    bool stopping_ = false;
    std::thread refiller_;
};

ShellPools& pools() {
    static ShellPools instance;
    return instance;
}

}  // namespace

X509Ptr take_leaf_shell(EVP_PKEY* key) { return pools().take(key); }

void prepare_leaf_shells(EVP_PKEY* key) { pools().prepare(key); }

}  // namespace tlsfault::certgen
