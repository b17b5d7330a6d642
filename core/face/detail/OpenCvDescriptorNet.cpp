#include "core/face/detail/OpenCvDescriptorNet.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace facelead::face::detail {
namespace {

template <typename T> struct IsConvolution : std::false_type {};
template <long Filters, long Rows, long Cols, int StrideY, int StrideX, int PadY, int PadX>
struct IsConvolution<dlib::con_<Filters, Rows, Cols, StrideY, StrideX, PadY, PadX>> : std::true_type {};

// A convolution with the affine layer that follows it folded in: w' = w * gamma, b' = b * gamma + beta.
struct FoldedConvolution {
    cv::Mat weights, bias;
    int kernel = 0, stride = 1, padding = 0, outputs = 0;
};

// The trained weights in network order (input first).
struct TrainedWeights {
    std::vector<FoldedConvolution> convolutions;
    cv::Mat fullyConnected;  // 128 x inputs (OpenCV's InnerProduct layout)
};

TrainedWeights readWeights(DescriptorNet& trained) {
    struct RawConvolution {
        const dlib::tensor* params;
        long filters, size, stride, padding;
    };
    std::vector<RawConvolution> convolutions;
    std::vector<std::pair<std::vector<float>, std::vector<float>>> affines;  // gamma, beta
    TrainedWeights weights;
    // dlib visits from the output towards the input.
    dlib::visit_computational_layers(trained, [&](auto& layer) {
        using Layer = std::decay_t<decltype(layer)>;
        if constexpr (IsConvolution<Layer>::value) {
            convolutions.push_back({&layer.get_layer_params(), layer.num_filters(), layer.nr(), layer.stride_y(),
                                    layer.padding_y()});
        } else if constexpr (std::is_same_v<Layer, dlib::affine_>) {
            const auto gamma = layer.get_gamma(), beta = layer.get_beta();
            affines.emplace_back(std::vector<float>(gamma.host(), gamma.host() + gamma.size()),
                                 std::vector<float>(beta.host(), beta.host() + beta.size()));
        } else if constexpr (std::is_same_v<Layer, dlib::fc_<128, dlib::FC_NO_BIAS>>) {
            const auto& params = layer.get_layer_params();
            const int inputs = static_cast<int>(params.size() / 128);
            weights.fullyConnected = cv::Mat(inputs, 128, CV_32F, const_cast<float*>(params.host())).t();
        }
    });
    if (convolutions.size() != affines.size() || weights.fullyConnected.empty())
        throw std::runtime_error("the descriptor network does not have the expected layers");
    std::reverse(convolutions.begin(), convolutions.end());
    std::reverse(affines.begin(), affines.end());
    for (std::size_t i = 0; i < convolutions.size(); ++i) {
        const auto& raw = convolutions[i];
        const auto& [gamma, beta] = affines[i];
        const long perFilter = static_cast<long>(raw.params->size()) / raw.filters - 1;  // weights + 1 bias each
        const int shape[] = {static_cast<int>(raw.filters), static_cast<int>(perFilter / (raw.size * raw.size)),
                             static_cast<int>(raw.size), static_cast<int>(raw.size)};
        FoldedConvolution folded{cv::Mat(4, shape, CV_32F), cv::Mat(1, static_cast<int>(raw.filters), CV_32F),
                                 static_cast<int>(raw.size), static_cast<int>(raw.stride),
                                 static_cast<int>(raw.padding), static_cast<int>(raw.filters)};
        const float* params = raw.params->host();
        auto* w = folded.weights.ptr<float>();
        for (long f = 0; f < raw.filters; ++f) {
            for (long j = 0; j < perFilter; ++j) w[f * perFilter + j] = params[f * perFilter + j] * gamma[f];
            folded.bias.at<float>(static_cast<int>(f)) = params[raw.filters * perFilter + f] * gamma[f] + beta[f];
        }
        weights.convolutions.push_back(folded);
    }
    return weights;
}

// Builds the graph of Networks.h (DescriptorNet) while tracking each tensor's shape.
class GraphBuilder {
public:
    struct Tensor {
        int layer, channels, rows, cols;
    };

    explicit GraphBuilder(TrainedWeights weights) : weights_(std::move(weights)) { net_.setInputsNames({"chips"}); }

    cv::dnn::Net build() {
        Tensor x{0, 3, static_cast<int>(kChipSize), static_cast<int>(kChipSize)};
        x = pool(convolution(x, true), "max", 3, 2);
        x = repeat(x, 3);                          // alevel4: 3 x ares<32>
        x = repeat(residualDown(x), 3);            // alevel3
        x = repeat(residualDown(x), 2);            // alevel2
        x = repeat(residualDown(x), 2);            // alevel1
        x = residualDown(x);                       // alevel0
        cv::dnn::LayerParams global;
        global.set("pool", "ave");
        global.set("global_pooling", true);
        x = add("Pooling", global, {x}, {x.channels, 1, 1});
        cv::dnn::LayerParams fc;
        fc.set("num_output", weights_.fullyConnected.rows);
        fc.set("bias_term", false);
        fc.blobs = {weights_.fullyConnected.clone()};
        add("InnerProduct", fc, {x}, {weights_.fullyConnected.rows, 1, 1});
        if (next_ != weights_.convolutions.size()) throw std::runtime_error("descriptor network: unused weights");
        return net_;
    }

private:
    struct Shape {
        int channels, rows, cols;
    };

    Tensor add(const std::string& type, cv::dnn::LayerParams params, const std::vector<Tensor>& inputs, Shape shape) {
        params.name = type + std::to_string(count_++);
        params.type = type;
        const int id = net_.addLayer(params.name, type, params);
        for (std::size_t i = 0; i < inputs.size(); ++i) net_.connect(inputs[i].layer, 0, id, static_cast<int>(i));
        return {id, shape.channels, shape.rows, shape.cols};
    }

    Tensor convolution(const Tensor& x, bool relu) {
        if (next_ >= weights_.convolutions.size()) throw std::runtime_error("descriptor network: missing weights");
        const auto& c = weights_.convolutions[next_++];
        cv::dnn::LayerParams params;
        params.set("kernel_size", c.kernel);
        params.set("stride", c.stride);
        params.set("pad", c.padding);
        params.set("num_output", c.outputs);
        params.set("bias_term", true);
        params.blobs = {c.weights, c.bias};
        const auto out = [&](int n) { return (n + 2 * c.padding - c.kernel) / c.stride + 1; };
        const Tensor y = add("Convolution", params, {x}, {c.outputs, out(x.rows), out(x.cols)});
        return relu ? add("ReLU", {}, {y}, {y.channels, y.rows, y.cols}) : y;
    }

    // dlib's pooling: no padding, windows that do not fit are dropped (OpenCV's ceil_mode = false).
    Tensor pool(const Tensor& x, const char* kind, int size, int stride) {
        cv::dnn::LayerParams params;
        params.set("pool", kind);
        params.set("kernel_size", size);
        params.set("stride", stride);
        params.set("pad", 0);
        params.set("ceil_mode", false);
        return add("Pooling", params, {x}, {x.channels, (x.rows - size) / stride + 1, (x.cols - size) / stride + 1});
    }

    // Zeros after the existing channels, rows and columns, as dlib's tensor addition treats missing values.
    Tensor padTo(const Tensor& x, const Shape& shape) {
        if (x.channels == shape.channels && x.rows == shape.rows && x.cols == shape.cols) return x;
        const int paddings[] = {0, 0, 0, shape.channels - x.channels, 0, shape.rows - x.rows, 0, shape.cols - x.cols};
        cv::dnn::LayerParams params;
        params.set("paddings", cv::dnn::DictValue::arrayInt(paddings, 8));
        return add("Padding", params, {x}, shape);
    }

    Tensor sumThenRelu(const Tensor& a, const Tensor& b) {
        const Shape shape{std::max(a.channels, b.channels), std::max(a.rows, b.rows), std::max(a.cols, b.cols)};
        cv::dnn::LayerParams params;
        params.set("operation", "sum");
        const Tensor sum = add("Eltwise", params, {padTo(a, shape), padTo(b, shape)}, shape);
        return add("ReLU", {}, {sum}, shape);
    }

    Tensor block(const Tensor& x) { return convolution(convolution(x, true), false); }
    Tensor residual(const Tensor& x) { return sumThenRelu(block(x), x); }
    Tensor residualDown(const Tensor& x) {
        const Tensor branch = block(x);
        return sumThenRelu(branch, pool(x, "ave", 2, 2));
    }
    Tensor repeat(Tensor x, int residuals) {
        for (int i = 0; i < residuals; ++i) x = residual(x);
        return x;
    }

    TrainedWeights weights_;
    cv::dnn::Net net_;
    std::size_t next_ = 0;
    int count_ = 0;
};

}  // namespace

cv::dnn::Net toOpenCvNet(DescriptorNet& trained) {
    auto net = GraphBuilder(readWeights(trained)).build();
    net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    return net;
}

// Written out rather than cv::dnn::blobFromImages: in the enrolment loop that call cost about 1.8 ms of CPU
// per chip (measured with the thread's CPU clock, between forward passes), this about 0.04 ms; same values.
cv::Mat descriptorInput(const std::vector<cv::Mat>& chipsRgb) {
    const auto& input = dlib::input_rgb_image_sized<kChipSize>();
    const double mean[] = {input.get_avg_red(), input.get_avg_green(), input.get_avg_blue()};
    const int count = static_cast<int>(chipsRgb.size()), side = static_cast<int>(kChipSize);
    cv::Mat blob(std::vector<int>{count, 3, side, side}, CV_32F);
    cv::Mat channel;
    for (int i = 0; i < count; ++i) {
        for (int c = 0; c < 3; ++c) {
            cv::extractChannel(chipsRgb[static_cast<std::size_t>(i)], channel, c);
            channel.convertTo(cv::Mat(side, side, CV_32F, blob.ptr<float>(i, c)), CV_32F, 1.0 / 256, -mean[c] / 256);
        }
    }
    return blob;
}

}  // namespace facelead::face::detail

// Large arrays from new[] start on a cache line, for the whole program (the C++ standard allows a program to
// replace operator new[]; it lives here because the descriptor network is why). OpenCV 4.6's convolution
// (29 of them per descriptor) gathers its input rows into a buffer from `new float[]` (cv::AutoBuffer, 20-80 KiB
// here) that it aligns to 32 bytes only, while its AVX-512 kernel reads 64-byte rows: when malloc's address is
// 32 bytes off a cache line, every read spans two lines. Which address malloc returns depends on what the heap
// held before, so the same forward pass took about 9.5 or about 12 ms of CPU from one run to the next, and in an
// enrolment-like loop (decode, HOG, landmarks, chip, descriptor per image) 12.4-12.7 ms against 14.1-14.6 ms
// without this (docs/PERFORMANCE.md, issue 12, fourth round). Arrays under 16 KiB keep malloc's own placement:
// aligning every array cost the rest of that loop more than it gained. Memory from here is released by the
// standard operator delete[] (free()), as both malloc and aligned_alloc allow. Not under AddressSanitizer, which
// checks array new and delete itself.
#if !defined(__SANITIZE_ADDRESS__)
void* operator new[](std::size_t size) {
    constexpr std::size_t kCacheLine = 64, kAlignFrom = 16 * 1024;
    void* memory = nullptr;
    if (size < kAlignFrom) memory = std::malloc(std::max<std::size_t>(size, 1));
    else if (size <= SIZE_MAX - kCacheLine) memory = std::aligned_alloc(kCacheLine, (size + kCacheLine - 1) / kCacheLine * kCacheLine);
    if (!memory) throw std::bad_alloc();
    return memory;
}
#endif
