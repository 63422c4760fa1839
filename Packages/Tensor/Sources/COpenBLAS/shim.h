#include <cblas.h>

/* LAPACK (shipped inside OpenBLAS, no LAPACKE header on Debian 12): general real eigenproblem. */
void sgeev_(const char *jobvl, const char *jobvr, const int *n, float *a, const int *lda,
            float *wr, float *wi, float *vl, const int *ldvl, float *vr, const int *ldvr,
            float *work, const int *lwork, int *info);
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);

/* OpenBLAS extras (declared in cblas.h of 0.3.21, repeated here for older headers is unnecessary). */

/* glibc's allocator settings (AllocatorTuning): not part of Swift's Glibc module. */
#if defined(__GLIBC__)
#include <malloc.h>
#endif
