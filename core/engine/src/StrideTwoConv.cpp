#include "StrideTwoConv.h"

#include <ATen/Parallel.h>

#include <mutex>
#include <vector>

namespace F = torch::nn::functional;

namespace mrcae::ops
{

namespace
{

/// Splits one fine row r (2N+1 values) into its even (N+1) and odd (N) columns.
void splitColumns(const float* r, int64_t n, float* even, float* odd)
{
  for (int64_t j = 0; j < n; ++j)
  {
    even[j] = r[2 * j];
    odd[j] = r[2 * j + 1];
  }
  even[n] = r[2 * n];
}

/// Fine row p = 2i + ki is reached from coarse row i through kernel row ki: the (i, ki) pairs of row p.
int coarseRowsOf(int64_t p, int64_t m, int64_t rows[2], int kernelRows[2])
{
  if (p % 2 == 1)
  {
    rows[0] = (p - 1) / 2;
    kernelRows[0] = 1;
    return 1;
  }
  int n = 0;
  if (p / 2 < m)
  {
    rows[n] = p / 2;
    kernelRows[n++] = 0;
  }
  if (p / 2 >= 1)
  {
    rows[n] = p / 2 - 1;
    kernelRows[n++] = 2;
  }
  return n;
}

/// fine[b,o,2i+ki,2j+kj] += coarse[b,c,i,j]·w[c,o,ki,kj] (+ bias[o]): coarse (B,C,M,N), w (C,O,3,3).
torch::Tensor scatter(const torch::Tensor& coarse, const torch::Tensor& w, const torch::Tensor& bias)
{
  const int64_t B = coarse.size(0), C = coarse.size(1), M = coarse.size(2), N = coarse.size(3), O = w.size(1);
  const int64_t H = 2 * M + 1, W = 2 * N + 1;
  torch::Tensor fine = torch::empty({B, O, H, W}, coarse.options());
  const float* cp = coarse.data_ptr<float>();
  const float* wp = w.data_ptr<float>();
  const float* bp = bias.defined() ? bias.data_ptr<float>() : nullptr;
  float* fp = fine.data_ptr<float>();
  at::parallel_for(0, B * O, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> even(N + 1), odd(N);
    for (int64_t idx = begin; idx < end; ++idx)
    {
      const int64_t b = idx / O, o = idx % O;
      const float offset = bp ? bp[o] : 0.0f;
      for (int64_t p = 0; p < H; ++p)
      {
        std::fill(even.begin(), even.end(), 0.0f);
        std::fill(odd.begin(), odd.end(), 0.0f);
        int64_t rows[2];
        int kernelRows[2];
        const int n = coarseRowsOf(p, M, rows, kernelRows);
        for (int64_t c = 0; c < C; ++c)
        {
          for (int r = 0; r < n; ++r)
          {
            const float* x = cp + ((b * C + c) * M + rows[r]) * N;
            const float* k = wp + (c * O + o) * 9 + kernelRows[r] * 3;
            const float k0 = k[0], k1 = k[1], k2 = k[2];
            for (int64_t j = 0; j < N; ++j)
            {
              even[j] += k0 * x[j];
              odd[j] += k1 * x[j];
            }
            for (int64_t j = 0; j < N; ++j)
            {
              even[j + 1] += k2 * x[j];
            }
          }
        }
        float* out = fp + ((b * O + o) * H + p) * W;
        for (int64_t j = 0; j < N; ++j)
        {
          out[2 * j] = even[j] + offset;
          out[2 * j + 1] = odd[j] + offset;
        }
        out[2 * N] = even[N] + offset;
      }
    }
  });
  return fine;
}

/// coarse[b,c,i,j] = Σ fine[b,o,2i+ki,2j+kj]·w[c,o,ki,kj] (+ bias[c]): fine (B,O,2M+1,2N+1), w (C,O,3,3).
torch::Tensor gather(const torch::Tensor& fine, const torch::Tensor& w, const torch::Tensor& bias)
{
  const int64_t B = fine.size(0), O = fine.size(1), H = fine.size(2), W = fine.size(3), C = w.size(0);
  const int64_t M = (H - 1) / 2, N = (W - 1) / 2;
  torch::Tensor coarse = torch::empty({B, C, M, N}, fine.options());
  const float* fp = fine.data_ptr<float>();
  const float* wp = w.data_ptr<float>();
  const float* bp = bias.defined() ? bias.data_ptr<float>() : nullptr;
  float* cp = coarse.data_ptr<float>();
  at::parallel_for(0, B, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> even(O * H * (N + 1)), odd(O * H * N);
    for (int64_t b = begin; b < end; ++b)
    {
      for (int64_t o = 0; o < O; ++o)
      {
        for (int64_t p = 0; p < H; ++p)
        {
          splitColumns(fp + ((b * O + o) * H + p) * W, N, even.data() + (o * H + p) * (N + 1),
                       odd.data() + (o * H + p) * N);
        }
      }
      for (int64_t c = 0; c < C; ++c)
      {
        for (int64_t i = 0; i < M; ++i)
        {
          float* out = cp + ((b * C + c) * M + i) * N;
          std::fill(out, out + N, bp ? bp[c] : 0.0f);
          for (int64_t o = 0; o < O; ++o)
          {
            for (int ki = 0; ki < 3; ++ki)
            {
              const float* e = even.data() + (o * H + 2 * i + ki) * (N + 1);
              const float* d = odd.data() + (o * H + 2 * i + ki) * N;
              const float* k = wp + (c * O + o) * 9 + ki * 3;
              const float k0 = k[0], k1 = k[1], k2 = k[2];
              for (int64_t j = 0; j < N; ++j)
              {
                out[j] += k0 * e[j] + k1 * d[j] + k2 * e[j + 1];
              }
            }
          }
        }
      }
    }
  });
  return coarse;
}

/// g[c,o,ki,kj] = Σ_{b,i,j} coarse[b,c,i,j]·fine[b,o,2i+ki,2j+kj]: coarse (B,C,M,N), fine (B,O,2M+1,2N+1).
torch::Tensor weightGradient(const torch::Tensor& coarse, const torch::Tensor& fine)
{
  const int64_t B = coarse.size(0), C = coarse.size(1), M = coarse.size(2), N = coarse.size(3), O = fine.size(1);
  const int64_t H = 2 * M + 1, W = 2 * N + 1;
  const float* cp = coarse.data_ptr<float>();
  const float* fp = fine.data_ptr<float>();
  std::vector<double> total(C * O * 9, 0.0);
  std::mutex merge;
  at::parallel_for(0, B, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> even(N + 1), odd(N);
    std::vector<double> local(C * O * 9, 0.0);
    for (int64_t b = begin; b < end; ++b)
    {
      for (int64_t o = 0; o < O; ++o)
      {
        for (int64_t p = 0; p < H; ++p)
        {
          splitColumns(fp + ((b * O + o) * H + p) * W, N, even.data(), odd.data());
          int64_t rows[2];
          int kernelRows[2];
          const int n = coarseRowsOf(p, M, rows, kernelRows);
          for (int r = 0; r < n; ++r)
          {
            for (int64_t c = 0; c < C; ++c)
            {
              const float* x = cp + ((b * C + c) * M + rows[r]) * N;
              float s0 = 0, s1 = 0, s2 = 0;
              for (int64_t j = 0; j < N; ++j)
              {
                s0 += x[j] * even[j];
                s1 += x[j] * odd[j];
                s2 += x[j] * even[j + 1];
              }
              double* acc = local.data() + (c * O + o) * 9 + kernelRows[r] * 3;
              acc[0] += s0;
              acc[1] += s1;
              acc[2] += s2;
            }
          }
        }
      }
    }
    std::lock_guard<std::mutex> lock(merge);
    for (size_t q = 0; q < total.size(); ++q)
    {
      total[q] += local[q];
    }
  });
  return torch::from_blob(total.data(), {C, O, 3, 3}, torch::kFloat64).to(torch::kFloat32);
}

bool useKernels(const torch::Tensor& x, const torch::Tensor& w)
{
  return x.device().is_cpu() && x.scalar_type() == torch::kFloat32 && w.scalar_type() == torch::kFloat32 &&
         x.dim() == 4 && w.size(2) == 3 && w.size(3) == 3;
}

/// Autograd functions take defined tensors only: no bias is a zero bias.
torch::Tensor biasOrZeros(const torch::Tensor& bias, int64_t n, const torch::Tensor& like)
{
  return bias.defined() ? bias : torch::zeros({n}, like.options());
}

/// The backward shared by both operators: `inputGrad(gy, w)` and `weightGrad(x, gy)` are the adjoint kernels.
template <typename InputGrad, typename WeightGrad>
torch::autograd::variable_list backwardOf(torch::autograd::AutogradContext* ctx,
                                          const torch::autograd::variable_list& grads, InputGrad inputGrad,
                                          WeightGrad weightGrad)
{
  auto saved = ctx->get_saved_variables();
  torch::Tensor gy = grads[0].contiguous();
  torch::Tensor gx, gw, gb;
  if (ctx->needs_input_grad(0))
  {
    gx = inputGrad(gy, saved[1]);
  }
  if (ctx->needs_input_grad(1))
  {
    gw = weightGrad(saved[0], gy);
  }
  if (ctx->needs_input_grad(2))
  {
    gb = gy.sum({0, 2, 3});
  }
  return {gx, gw, gb};
}

class TransposedConvFunction : public torch::autograd::Function<TransposedConvFunction>
{
public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& w,
                               const torch::Tensor& bias)
  {
    torch::Tensor xc = x.contiguous(), wc = w.contiguous();
    ctx->save_for_backward({xc, wc});
    return scatter(xc, wc, bias.contiguous());
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads)
  {
    return backwardOf(
        ctx, grads, [](const torch::Tensor& gy, const torch::Tensor& w) { return gather(gy, w, torch::Tensor()); },
        [](const torch::Tensor& x, const torch::Tensor& gy) { return weightGradient(x, gy); });
  }
};

class ConvFunction : public torch::autograd::Function<ConvFunction>
{
public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& w,
                               const torch::Tensor& bias)
  {
    torch::Tensor xc = x.contiguous(), wc = w.contiguous();
    ctx->save_for_backward({xc, wc});
    return gather(xc, wc, bias.contiguous());
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads)
  {
    return backwardOf(
        ctx, grads, [](const torch::Tensor& gy, const torch::Tensor& w) { return scatter(gy, w, torch::Tensor()); },
        [](const torch::Tensor& x, const torch::Tensor& gy) { return weightGradient(gy, x); });
  }
};

} // namespace

torch::Tensor conv3x3s2(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
  // The kernels assume an odd input size (2M+1), which every level of the model has.
  if (useKernels(x, weight) && x.size(2) % 2 == 1 && x.size(3) % 2 == 1)
  {
    return ConvFunction::apply(x, weight, biasOrZeros(bias, weight.size(0), weight));
  }
  auto options = F::Conv2dFuncOptions().stride(2);
  if (bias.defined())
  {
    options.bias(bias);
  }
  return F::conv2d(x, weight, options);
}

torch::Tensor transposedConv3x3s2(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias)
{
  if (useKernels(x, weight))
  {
    return TransposedConvFunction::apply(x, weight, biasOrZeros(bias, weight.size(1), weight));
  }
  auto options = F::ConvTranspose2dFuncOptions().stride(2);
  if (bias.defined())
  {
    options.bias(bias);
  }
  return F::conv_transpose2d(x, weight, options);
}

} // namespace mrcae::ops
