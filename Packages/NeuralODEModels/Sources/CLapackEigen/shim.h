/* LAPACK's general real eigenproblem, shipped inside OpenBLAS (Debian 12 has no LAPACKE header). */
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);
