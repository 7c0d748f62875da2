/* Internal interface between dae_run_traced (run.c) and the recorder
 * (trace.c). Not installed. */
#ifndef DAE_RUNTIME_TRACE_REC_H
#define DAE_RUNTIME_TRACE_REC_H

/* A traced run starts on this thread: its access side's events are
 * recorded from now on. Returns 0 or -ENOMEM (nothing to undo then). */
int dae_trace_call_begin(void);

/* The traced run that began last on this thread has returned; the
 * outermost one hands the thread's events to the model. */
void dae_trace_call_end(void);

#endif
