#include "core/store/SecureBytes.h"

#include <new>
#include <utility>

#include <sodium.h>

namespace facelead::store {

SecureBytes::SecureBytes(std::size_t size) {
    if (size == 0) return;
    if (sodium_init() < 0) throw std::bad_alloc();
    data_ = static_cast<std::uint8_t*>(sodium_malloc(size));
    if (data_ == nullptr) throw std::bad_alloc();
    sodium_memzero(data_, size);
    size_ = size;
}

SecureBytes::~SecureBytes() { release(); }

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept {
    if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void SecureBytes::release() noexcept {
    if (data_ != nullptr) sodium_free(data_);  // sodium_free zeroes before it frees
    data_ = nullptr;
    size_ = 0;
}

}  // namespace facelead::store
