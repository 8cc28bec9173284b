#ifndef CRANDWIRE_MATH_H
#define CRANDWIRE_MATH_H

// libm for RandWireStatistics: exp, log, lgamma, erfc, pow, floor. Pure math, no system calls,
// so it is not part of the OS seam (CRandWireSystem); FoundationEssentials does not export it.
#include <math.h>

#endif
