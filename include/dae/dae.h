/* libdae, the runtime of daec-generated decoupled access/execute code:
 * one include for the whole runtime API. */
#ifndef DAE_DAE_H
#define DAE_DAE_H

#define DAE_VERSION_MAJOR 0
#define DAE_VERSION_MINOR 1
#define DAE_VERSION_PATCH 0

#include "queue.h"
#include "run.h"
#include "lane.h"
#include "prefetch.h"
#include "stats.h"
#include "guard.h"
#include "buffer.h"
#include "token.h"
#include "trace.h"

#endif
