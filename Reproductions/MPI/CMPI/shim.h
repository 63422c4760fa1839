// Open MPI's handles (MPI_COMM_WORLD, MPI_DOUBLE, MPI_SUM, ...) are macros over the addresses of global
// structs, which Swift cannot import: each is returned by a static inline function instead.
#include <mpi.h>

static inline MPI_Comm hb_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype hb_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype hb_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Op hb_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op hb_mpi_max(void) { return MPI_MAX; }
static inline void *hb_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline int hb_mpi_success(void) { return MPI_SUCCESS; }
