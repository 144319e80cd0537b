/*
 * fma.c — the per-satellite work of a pass search (track.c, search.c,
 * shadow.c) compiled a second time, with AVX2 and fused multiply-adds
 * (CMakeLists.txt), its functions renamed with the suffix _fma by
 * PASS_ARCH (internal.h). The refinements and the sunlight walk are chains
 * of dependent multiply-adds (Horner polynomials, dot products), which a
 * fused operation shortens by half; kernel.c hands these copies to the
 * search on processors that have the extensions.
 *
 * Not for code of its own: everything here is the three files, unchanged.
 */
#define PASS_ARCH(name) name##_fma

#include "passes/search.c" /* NOLINT(bugprone-suspicious-include) */
#include "passes/shadow.c" /* NOLINT(bugprone-suspicious-include) */
#include "passes/track.c"  /* NOLINT(bugprone-suspicious-include) */
