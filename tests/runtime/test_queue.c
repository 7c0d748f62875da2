/* Specification of struct dae_queue as seen from one thread.
 *
 * A single thread plays both sides, so every test keeps what it pushes
 * within the capacity, flushes before it pops and releases after it pops:
 * the queue never has to wait for the other side. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dae/dae.h"

static uint32_t f32_bits(float v)
{
	uint32_t b;

	memcpy(&b, &v, sizeof(b));
	return b;
}

static float f32_from(uint32_t b)
{
	float v;

	memcpy(&v, &b, sizeof(v));
	return v;
}

static uint64_t f64_bits(double v)
{
	uint64_t b;

	memcpy(&b, &v, sizeof(b));
	return b;
}

static double f64_from(uint64_t b)
{
	double v;

	memcpy(&v, &b, sizeof(v));
	return v;
}

static uint64_t capacity_of(const struct dae_queue *q)
{
	return q->mask + 1;
}

static void init_rounds_capacity_up_to_a_power_of_two_of_at_least_2(void **state)
{
	static const struct {
		size_t asked;
		uint64_t got;
	} cases[] = {
	        {1, 2},   {2, 2},   {3, 4},       {4, 4},       {5, 8},
	        {63, 64}, {64, 64}, {4096, 4096}, {4097, 8192},
	};
	struct dae_queue q;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(dae_queue_init(&q, cases[i].asked), 0);
		assert_int_equal(capacity_of(&q), cases[i].got);
		dae_queue_exit(&q);
	}
}

static void init_rejects_zero_capacity_huge_capacity_and_null(void **state)
{
	struct dae_queue q;

	assert_int_equal(dae_queue_init(&q, 0), -EINVAL);
	assert_int_equal(dae_queue_init(&q, SIZE_MAX), -EINVAL);
	assert_int_equal(dae_queue_init(&q, SIZE_MAX / 2), -EINVAL);
	assert_int_equal(dae_queue_init(NULL, 16), -EINVAL);
}

static void init_reports_enomem_when_the_ring_cannot_be_allocated(void **state)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* The sanitizers' allocators abort on absurd sizes instead of
	 * returning NULL. */
	skip();
#else
	struct dae_queue q;

	/* 2^56 words = 512 PiB: valid, but no machine has it. */
	assert_int_equal(dae_queue_init(&q, (size_t)1 << 56), -ENOMEM);
#endif
}

static void words_come_out_in_the_order_they_went_in(void **state)
{
	struct dae_queue q;

	assert_int_equal(dae_queue_init(&q, 1000), 0);
	for (uint64_t i = 0; i < 1000; i++)
		dae_queue_push(&q, i * 0x9e3779b97f4a7c15u);
	dae_queue_flush(&q);
	for (uint64_t i = 0; i < 1000; i++)
		assert_int_equal(dae_queue_pop(&q), i * 0x9e3779b97f4a7c15u);
	dae_queue_exit(&q);
}

static void the_ring_wraps_around_many_times_without_losing_order(void **state)
{
	struct dae_queue q;
	uint64_t next_in = 0, next_out = 0;

	assert_int_equal(dae_queue_init(&q, 8), 0);
	/* Chunk sizes 1..8 that do not divide the capacity, so the indices
	 * cross the end of the ring at every offset. */
	for (unsigned round = 0; round < 20000; round++) {
		unsigned n = 1 + round % 8;

		for (unsigned i = 0; i < n; i++)
			dae_queue_push(&q, ~next_in++);
		dae_queue_flush(&q);
		for (unsigned i = 0; i < n; i++)
			assert_int_equal(dae_queue_pop(&q), ~next_out++);
		dae_queue_release(&q);
	}
	assert_true(next_out > 1000 * capacity_of(&q));
	dae_queue_exit(&q);
}

static void typed_values_round_trip_bit_exactly(void **state)
{
	static const uint32_t f32s[] = {
	        0x7fa00001u, /* signalling NaN with a payload */
	        0xffc12345u, /* negative quiet NaN with a payload */
	        0x80000000u, /* -0.0f */
	        0x00000001u, /* smallest denormal */
	        0x807fffffu, /* largest negative denormal */
	        0x7f800000u, /* +inf */
	        0x3f800000u, /* 1.0f */
	};
	static const uint64_t f64s[] = {
	        0x7ff0000000000001u, /* signalling NaN with a payload */
	        0xfff8deadbeef0001u, /* negative quiet NaN with a payload */
	        0x8000000000000000u, /* -0.0 */
	        0x0000000000000001u, /* smallest denormal */
	        0x000fffffffffffffu, /* largest denormal */
	        0xfff0000000000000u, /* -inf */
	};
	static const int64_t i64s[] = {INT64_MIN, INT64_MAX, -1, 0, 1};
	static const uint64_t u64s[] = {UINT64_MAX, 0, 1u << 31, UINT64_MAX - 1};
	static const uint32_t tokens[] = {1, UINT32_MAX, 0x80000000u};
	int local;
	const void *ptrs[] = {&local, NULL, (const void *)UINTPTR_MAX, (const char *)&local + 1};
	struct dae_queue q;
	size_t i;

	assert_int_equal(dae_queue_init(&q, 64), 0);
	for (i = 0; i < sizeof(f32s) / sizeof(f32s[0]); i++)
		dae_queue_push_f32(&q, f32_from(f32s[i]));
	for (i = 0; i < sizeof(f64s) / sizeof(f64s[0]); i++)
		dae_queue_push_f64(&q, f64_from(f64s[i]));
	for (i = 0; i < sizeof(i64s) / sizeof(i64s[0]); i++)
		dae_queue_push_i64(&q, i64s[i]);
	for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++)
		dae_queue_push_u64(&q, u64s[i]);
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		dae_queue_push_token(&q, tokens[i]);
	for (i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
		dae_queue_push_ptr(&q, ptrs[i]);
	dae_queue_flush(&q);

	for (i = 0; i < sizeof(f32s) / sizeof(f32s[0]); i++)
		assert_int_equal(f32_bits(dae_queue_pop_f32(&q)), f32s[i]);
	for (i = 0; i < sizeof(f64s) / sizeof(f64s[0]); i++)
		assert_int_equal(f64_bits(dae_queue_pop_f64(&q)), f64s[i]);
	for (i = 0; i < sizeof(i64s) / sizeof(i64s[0]); i++)
		assert_true(dae_queue_pop_i64(&q) == i64s[i]);
	for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++)
		assert_true(dae_queue_pop_u64(&q) == u64s[i]);
	for (i = 0; i < sizeof(tokens) / sizeof(tokens[0]); i++)
		assert_int_equal(dae_queue_pop_token(&q), tokens[i]);
	for (i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
		assert_ptr_equal(dae_queue_pop_ptr(&q), ptrs[i]);
	dae_queue_exit(&q);
}

static void vectors_of_any_length_round_trip_as_one_operand_each(void **state)
{
	static const size_t lengths[] = {0, 1, 3, 7, 8, 9, 15, 16, 31, 32, 64};
	unsigned char src[64], dst[72];
	struct dae_queue_counters c;
	struct dae_queue q;
	uint64_t words = 0;
	size_t i, k;

	for (k = 0; k < sizeof(src); k++)
		src[k] = (unsigned char)(0xa5 ^ (k * 37));
	assert_int_equal(dae_queue_init(&q, 256), 0);
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		dae_queue_push_data(&q, src + (64 - lengths[i]) % 5, lengths[i]);
		words += (lengths[i] + 7) / 8;
	}
	dae_queue_flush(&q);
	dae_queue_counters_get(&q, &c);
	assert_int_equal(c.operands, sizeof(lengths) / sizeof(lengths[0]));
	assert_int_equal(c.words, words);
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		/* Exactly the bytes asked for: the padding of the last word stays in the queue. */
		memset(dst, 0xee, sizeof(dst));
		dae_queue_pop_data(&q, dst, lengths[i]);
		assert_memory_equal(dst, src + (64 - lengths[i]) % 5, lengths[i]);
		for (k = lengths[i]; k < sizeof(dst); k++)
			assert_int_equal(dst[k], 0xee);
	}
	dae_queue_exit(&q);
}

static void rows_travel_by_value_up_to_the_limit_and_by_reference_beyond(void **state)
{
	static float row[DAE_QUEUE_ROW_MAX / sizeof(float) + 1];
	struct dae_queue_counters c;
	struct dae_queue q;
	const float *a, *b, *big;
	size_t k;

	for (k = 0; k < sizeof(row) / sizeof(row[0]); k++)
		row[k] = (float)k + 0.5f;
	assert_int_equal(dae_queue_init(&q, 8192), 0);
	dae_queue_push_row(&q, NULL, 0);
	dae_queue_push_row(&q, row, 3 * sizeof(float));
	dae_queue_push_row(&q, row + 1, DAE_QUEUE_ROW_MAX);
	dae_queue_push_row(&q, row, DAE_QUEUE_ROW_MAX + sizeof(float));
	dae_queue_flush(&q);
	dae_queue_counters_get(&q, &c);
	assert_int_equal(c.operands, 4);
	/* A header each, the values of the two short rows, the long one's address. */
	assert_int_equal(c.words, 4 + 2 + DAE_QUEUE_ROW_MAX / 8 + 1);
	/* Values were copied when pushed: a later write is not seen. */
	row[1] = -1.0f;

	(void)dae_queue_pop_row(&q, 0);
	a = dae_queue_pop_row(&q, 0);
	b = dae_queue_pop_row(&q, 1);
	big = dae_queue_pop_row(&q, 2);
	assert_true(a != row && b != row + 1);
	assert_true(a[0] == 0.5f && a[1] == 1.5f && a[2] == 2.5f);
	/* Another slot: the first copy survives the second. */
	assert_true(b[0] == 1.5f && a[1] == 1.5f);
	for (k = 1; k < DAE_QUEUE_ROW_MAX / sizeof(float); k++)
		assert_true(b[k] == (float)(k + 1) + 0.5f);
	/* Too long to copy: the row itself, as by-reference marshalling sends it. */
	assert_ptr_equal(big, row);
	dae_queue_exit(&q);
}

static void counters_count_tokens_operands_and_words(void **state)
{
	struct dae_queue_counters c;
	struct dae_queue q;

	assert_int_equal(dae_queue_init(&q, 64), 0);
	dae_queue_counters_get(&q, &c);
	assert_int_equal(c.tokens, 0);
	assert_int_equal(c.operands, 0);
	assert_int_equal(c.words, 0);

	dae_queue_push_token(&q, 7);
	dae_queue_push_i64(&q, -1);
	dae_queue_push_f32(&q, 1.5f);
	dae_queue_push_token(&q, 8);
	dae_queue_push_f64(&q, 2.5);
	dae_queue_push_u64(&q, 3);
	dae_queue_push_ptr(&q, &q);
	dae_queue_push(&q, 42); /* a raw word is neither */
	dae_queue_push_token(&q, 9);

	dae_queue_counters_get(&q, &c);
	assert_int_equal(c.tokens, 3);
	assert_int_equal(c.operands, 5);
	assert_int_equal(c.words, 9);
	dae_queue_exit(&q);
}

static void the_producer_publishes_once_per_batch_and_on_flush(void **state)
{
	struct dae_queue q;

	assert_int_equal(dae_queue_init(&q, 4096), 0);
	for (unsigned i = 0; i < DAE_QUEUE_BATCH - 1; i++)
		dae_queue_push(&q, i);
	assert_int_equal(atomic_load(&q.tail), 0);
	dae_queue_push(&q, DAE_QUEUE_BATCH - 1);
	assert_int_equal(atomic_load(&q.tail), DAE_QUEUE_BATCH);
	dae_queue_push(&q, DAE_QUEUE_BATCH);
	assert_int_equal(atomic_load(&q.tail), DAE_QUEUE_BATCH);
	dae_queue_flush(&q);
	assert_int_equal(atomic_load(&q.tail), DAE_QUEUE_BATCH + 1);
	dae_queue_exit(&q);
}

static void the_consumer_returns_slots_once_per_batch_and_on_release(void **state)
{
	struct dae_queue q;

	assert_int_equal(dae_queue_init(&q, 4096), 0);
	for (unsigned i = 0; i < 2 * DAE_QUEUE_BATCH; i++)
		dae_queue_push(&q, i);
	dae_queue_flush(&q);
	for (unsigned i = 0; i < DAE_QUEUE_BATCH - 1; i++)
		dae_queue_pop(&q);
	assert_int_equal(atomic_load(&q.head), 0);
	dae_queue_pop(&q);
	assert_int_equal(atomic_load(&q.head), DAE_QUEUE_BATCH);
	dae_queue_pop(&q);
	dae_queue_release(&q);
	assert_int_equal(atomic_load(&q.head), DAE_QUEUE_BATCH + 1);
	dae_queue_exit(&q);
}

static void small_rings_publish_every_half_ring(void **state)
{
	struct dae_queue q;

	/* With a batch larger than the ring, each side would fill (or drain)
	 * the whole ring before the other could start. */
	assert_int_equal(dae_queue_init(&q, 4), 0);
	dae_queue_push(&q, 1);
	assert_int_equal(atomic_load(&q.tail), 0);
	dae_queue_push(&q, 2);
	assert_int_equal(atomic_load(&q.tail), 2);
	dae_queue_exit(&q);
}

static void reset_empties_the_queue_and_zeroes_the_counters(void **state)
{
	struct dae_queue_counters c;
	struct dae_queue q;

	assert_int_equal(dae_queue_init(&q, 8), 0);
	for (unsigned i = 0; i < 5; i++)
		dae_queue_push_u64(&q, i);
	dae_queue_flush(&q);
	assert_int_equal(dae_queue_pop(&q), 0);

	dae_queue_reset(&q);
	dae_queue_counters_get(&q, &c);
	assert_int_equal(c.operands, 0);
	assert_int_equal(c.words, 0);
	/* A full ring's worth fits again, and only the new words come out. */
	for (unsigned i = 0; i < 8; i++)
		dae_queue_push(&q, 100 + i);
	dae_queue_flush(&q);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(dae_queue_pop(&q), 100 + i);
	dae_queue_exit(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(init_rounds_capacity_up_to_a_power_of_two_of_at_least_2),
	        cmocka_unit_test(init_rejects_zero_capacity_huge_capacity_and_null),
	        cmocka_unit_test(init_reports_enomem_when_the_ring_cannot_be_allocated),
	        cmocka_unit_test(words_come_out_in_the_order_they_went_in),
	        cmocka_unit_test(the_ring_wraps_around_many_times_without_losing_order),
	        cmocka_unit_test(typed_values_round_trip_bit_exactly),
	        cmocka_unit_test(vectors_of_any_length_round_trip_as_one_operand_each),
	        cmocka_unit_test(rows_travel_by_value_up_to_the_limit_and_by_reference_beyond),
	        cmocka_unit_test(counters_count_tokens_operands_and_words),
	        cmocka_unit_test(the_producer_publishes_once_per_batch_and_on_flush),
	        cmocka_unit_test(the_consumer_returns_slots_once_per_batch_and_on_release),
	        cmocka_unit_test(small_rings_publish_every_half_ring),
	        cmocka_unit_test(reset_empties_the_queue_and_zeroes_the_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
