/* Specification of struct dae_queue between two threads: the exact sequence
 * survives any interleaving, whichever side is slower and whether the other
 * side spins or sleeps while it waits.
 *
 * The producer runs on a second thread and the consumer on the test thread,
 * which does all the asserting (cmocka is not thread-safe). Sizes scale with
 * DAE_TEST_SCALE (a factor, default 1; 0.1 under ThreadSanitizer). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "dae/queue.h"

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

static uint64_t scaled(uint64_t n)
{
	const char *env = getenv("DAE_TEST_SCALE");
#ifdef UNDER_TSAN
	double f = 0.1;
#else
	double f = 1.0;
#endif
	uint64_t r;

	if (env && *env)
		f = strtod(env, NULL);
	r = (uint64_t)((double)n * f);
	return r ? r : 1;
}

/* Longer than the queue's spin phase, so the waiting side goes to sleep. */
static void nap(void)
{
	struct timespec ts = {0, 300 * 1000};

	nanosleep(&ts, NULL);
}

/* Distinct, non-monotonic values, so a lost, repeated or reordered word
 * shows up as a mismatch. */
static uint64_t value_at(uint64_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15u;
}

struct producer {
	struct dae_queue *q;
	uint64_t words;
	uint64_t nap_every; /* 0: never */
	pthread_t thread;
};

static void *produce(void *p)
{
	struct producer *pr = p;

	for (uint64_t i = 0; i < pr->words; i++) {
		if (pr->nap_every && i % pr->nap_every == 0)
			nap();
		dae_queue_push(pr->q, value_at(i));
	}
	dae_queue_flush(pr->q);
	return NULL;
}

/* Streams `words` words through a queue of `capacity` and checks every one.
 * Returns the index of the first wrong word, or `words` if all were right. */
static uint64_t stream(size_t capacity, uint64_t words, uint64_t producer_naps,
                       uint64_t consumer_naps)
{
	struct producer pr = {.words = words, .nap_every = producer_naps};
	struct dae_queue q;
	uint64_t first_bad = words;

	assert_int_equal(dae_queue_init(&q, capacity), 0);
	pr.q = &q;
	assert_int_equal(pthread_create(&pr.thread, NULL, produce, &pr), 0);
	for (uint64_t i = 0; i < words; i++) {
		if (consumer_naps && i % consumer_naps == 0)
			nap();
		if (dae_queue_pop(&q) != value_at(i) && first_bad == words)
			first_bad = i;
	}
	assert_int_equal(pthread_join(pr.thread, NULL), 0);
	dae_queue_exit(&q);
	return first_bad;
}

static void capacity_2_keeps_the_exact_sequence(void **state)
{
	uint64_t n = scaled(100000);

	assert_int_equal(stream(2, n, 0, 0), n);
}

static void capacity_4_keeps_the_exact_sequence(void **state)
{
	uint64_t n = scaled(200000);

	assert_int_equal(stream(4, n, 0, 0), n);
}

static void capacity_64_keeps_the_exact_sequence(void **state)
{
	uint64_t n = scaled(5000000);

	assert_int_equal(stream(64, n, 0, 0), n);
}

static void capacity_4096_keeps_the_exact_sequence(void **state)
{
	uint64_t n = scaled(40000000);

	assert_int_equal(stream(4096, n, 0, 0), n);
}

static void a_consumer_that_sleeps_on_an_empty_queue_is_woken(void **state)
{
	uint64_t n = scaled(400000);

	/* The producer naps every few batches, so the consumer drains the
	 * queue, spins out and sleeps; a lost wake-up would hang here. */
	assert_int_equal(stream(64, n, 1000, 0), n);
	assert_int_equal(stream(4, n / 10, 100, 0), n / 10);
}

static void a_producer_that_sleeps_on_a_full_queue_is_woken(void **state)
{
	uint64_t n = scaled(400000);

	assert_int_equal(stream(64, n, 0, 1000), n);
	assert_int_equal(stream(4, n / 10, 0, 100), n / 10);
}

/* Ping-pong: each message is shorter than a batch, so it only reaches the
 * other side because the sender flushes it. Without the flush both sides
 * would wait forever (and ctest's timeout would fail the test). */
struct echo {
	struct dae_queue *to_echo, *from_echo;
	uint64_t rounds;
	pthread_t thread;
};

static void *echo_main(void *p)
{
	struct echo *e = p;

	for (uint64_t r = 0; r < e->rounds; r++) {
		uint64_t a = dae_queue_pop_u64(e->to_echo);
		uint64_t b = dae_queue_pop_u64(e->to_echo);

		dae_queue_push_u64(e->from_echo, a + b);
		dae_queue_flush(e->from_echo);
	}
	return NULL;
}

static void flush_makes_a_partial_batch_visible(void **state)
{
	struct dae_queue to, from;
	struct echo e = {.to_echo = &to, .from_echo = &from, .rounds = scaled(20000)};
	uint64_t wrong = 0;

	assert_int_equal(dae_queue_init(&to, 4096), 0);
	assert_int_equal(dae_queue_init(&from, 4096), 0);
	assert_int_equal(pthread_create(&e.thread, NULL, echo_main, &e), 0);
	for (uint64_t r = 0; r < e.rounds; r++) {
		dae_queue_push_u64(&to, value_at(r));
		dae_queue_push_u64(&to, r);
		dae_queue_flush(&to);
		if (r % 1000 == 999)
			nap(); /* let the echo side fall asleep on an empty queue */
		if (dae_queue_pop_u64(&from) != value_at(r) + r)
			wrong++;
	}
	assert_int_equal(pthread_join(e.thread, NULL), 0);
	assert_int_equal(wrong, 0);
	dae_queue_exit(&from);
	dae_queue_exit(&to);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(capacity_2_keeps_the_exact_sequence),
	        cmocka_unit_test(capacity_4_keeps_the_exact_sequence),
	        cmocka_unit_test(capacity_64_keeps_the_exact_sequence),
	        cmocka_unit_test(capacity_4096_keeps_the_exact_sequence),
	        cmocka_unit_test(a_consumer_that_sleeps_on_an_empty_queue_is_woken),
	        cmocka_unit_test(a_producer_that_sleeps_on_a_full_queue_is_woken),
	        cmocka_unit_test(flush_makes_a_partial_batch_visible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
