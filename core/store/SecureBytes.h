#pragma once
// Key material lives in guarded memory (sodium_malloc: guard pages, no swap via mlock, zeroed on free).
// Move-only; never printed, never logged.

#include <cstddef>
#include <cstdint>
#include <span>

namespace facelead::store {

class SecureBytes {
public:
    SecureBytes() = default;
    explicit SecureBytes(std::size_t size);  // zero-filled; throws std::bad_alloc when guarded memory runs out
    ~SecureBytes();
    SecureBytes(SecureBytes&& other) noexcept;
    SecureBytes& operator=(SecureBytes&& other) noexcept;
    SecureBytes(const SecureBytes&) = delete;
    SecureBytes& operator=(const SecureBytes&) = delete;

    std::uint8_t* data() { return data_; }
    const std::uint8_t* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::span<const std::uint8_t> bytes() const { return {data_, size_}; }

private:
    void release() noexcept;
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace facelead::store
