/*
 * torch_shim.cpp - PyTorch's EmbeddingBag (libtorch's C++ API) behind a C
 * interface for the side-by-side benchmark (sidebyside.c). Built only when
 * libtorch is found (run.sh); without it sidebyside.c is compiled with
 * SBS_NO_TORCH and says why in the PyTorch rows.
 *
 * The weight, indices and offsets tensors wrap the benchmark's own buffers
 * (torch::from_blob, no copy), so PyTorch reads the same table memory as
 * every other contender. The output is the tensor PyTorch allocates, as in
 * real use; it is copied out only when the caller asks for it (the
 * correctness check), not in timed calls.
 */
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>

#include "sidebyside.h"

const char *sbs_torch_version(void)
{
	return "libtorch " TORCH_VERSION;
}

/* Only when it differs: with OpenMP, at::get_num_threads is libgomp's
 * default, which the benchmark's OpenMP original also sets. */
void sbs_torch_set_threads(int threads)
{
	if (at::get_num_threads() != threads)
		at::set_num_threads(threads);
}

int sbs_torch_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                                const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                                float *out)
{
	try {
		c10::InferenceMode guard;
		auto i64 = at::TensorOptions().dtype(at::kLong);
		at::Tensor w = at::from_blob(const_cast<float *>(table), {num_rows, dim},
		                             at::TensorOptions().dtype(at::kFloat));
		at::Tensor idx =
		        at::from_blob(const_cast<int64_t *>(indices), {offsets[num_bags]}, i64);
		at::Tensor off = at::from_blob(const_cast<int64_t *>(offsets), {num_bags + 1}, i64);
		at::Tensor y = std::get<0>(
		        at::embedding_bag(w, idx, off, false, 0, false, c10::nullopt, true));
		if (out != nullptr)
			std::memcpy(out, y.contiguous().data_ptr<float>(),
			            sizeof(float) * static_cast<size_t>(num_bags * dim));
	} catch (const std::exception &e) {
		std::fprintf(stderr, "sidebyside: libtorch: %s\n", e.what());
		return -1;
	}
	return 0;
}
