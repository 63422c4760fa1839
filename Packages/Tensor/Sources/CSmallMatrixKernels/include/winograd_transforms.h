#ifndef HBNODE_WINOGRAD_TRANSFORMS_H
#define HBNODE_WINOGRAD_TRANSFORMS_H

#include <stdbool.h>

// AVX2 + FMA single-precision kernels for the tile transforms of Winograd F(4x4, 3x3), the parts of a
// Winograd convolution outside its transform-domain GEMMs. Call only when hb_small_kernels_have_avx2().
//
// Layouts (those of the Swift `_WinogradConvolution`): tiles go in groups of 8, one vector lane per tile,
// `lanes` a multiple of 8 and `count` <= lanes real tiles; a transform-domain buffer is channel-major,
// `[channels, 36, lanes]`. A tile's 6x6 window starts at `tile_base[t]` in a padded plane of row length
// `padded_width`; its 4x4 output block starts at `output_base[t]` (channel 0) in the output, and has
// `rows[t]` x `cols[t]` elements inside it (4 x 4 except at the bottom and right edges).

/// `V [channels, 36, lanes] = Bᵀ d B` for every tile of every channel. `padded` holds the channels'
/// padded planes `plane` elements apart; every row read is 8 wide, so the buffer must have 8 readable
/// elements past its last plane.
void hb_winograd_input_avx2(const float *padded, long channels, long plane, long padded_width,
                            const long *tile_base, long lanes, float *v);

/// The adjoint of `hb_winograd_input_avx2`: the padded planes of `images` images (`channels` per image,
/// tile_base offsets relative to channel 0 of the chunk) are overwritten with `B ∂V Bᵀ` summed over the
/// overlapping tiles. Rows are added 8 wide (the last 2 adding zeros), so the buffer must have 8 writable
/// elements past its last plane.
void hb_winograd_input_gradient_avx2(const float *dv, long channels, long images, long plane, long padded_width,
                                     const long *tile_base, long lanes, long count, float *padded);

/// `y = Aᵀ M A + channel_bias[o]` (channel_bias may be NULL) for every tile with `t < count`, written into
/// the output planes (`out_plane` elements apart, rows `out_width` long); on tiles with `is_edge[t]`
/// `border_bias [channels, out_plane]` (may be NULL) is added too.
void hb_winograd_output_avx2(const float *m, long channels, long lanes, long count, const long *output_base,
                             const long *pixel_base, const long *rows, const long *cols, const bool *is_edge,
                             long out_plane, long out_width, const float *channel_bias, const float *border_bias,
                             float *y);

/// The adjoint of the output transform: `∂M [channels, 36, lanes] = A ḡ Aᵀ` from the output cotangent
/// (zero in padding lanes and outside the output).
void hb_winograd_output_gradient_avx2(const float *dy, long channels, long lanes, long count, const long *output_base,
                                      const long *rows, const long *cols, long out_plane, long out_width, float *dm);

#endif
