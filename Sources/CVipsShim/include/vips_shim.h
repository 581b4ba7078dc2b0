// Why this file exists: most of libvips' API is variadic (name/value pairs
// ended by NULL), and Swift cannot call variadic C functions. Each function
// here makes exactly one libvips call with a fixed argument list; optional
// arguments travel in small structs. No logic beyond building the call.
#ifndef VIPS_SHIM_H
#define VIPS_SHIM_H

#include <vips/vips.h>

/// VIPS_INIT is a macro; returns 0 on success.
int shim_init(const char *argv0);

/// g_object_unref, spelled for Swift.
void shim_unref(VipsImage *image);

/// Loads an image lazily (header only until pixels are asked for).
/// `options` is a libvips option string such as "fail_on=truncated,page=2".
VipsImage *shim_image_new_from_buffer(const void *data, size_t length, const char *options);

typedef struct {
    int height;                 /* target height; the box is width x height */
    VipsSize size;              /* VIPS_SIZE_BOTH, _DOWN, ... */
    VipsInteresting crop;       /* VIPS_INTERESTING_NONE or _CENTRE */
    const char *load_options;   /* option string handed to the loader */
    const char *export_profile; /* NULL, or e.g. "srgb" */
} ShimThumbnailOptions;

/// vips_thumbnail_buffer: load with shrink-on-load, autorotate, resize.
VipsImage *shim_thumbnail_buffer(const void *data, size_t length, int width, const ShimThumbnailOptions *options);
/// vips_thumbnail_image: the same on an image already loaded.
VipsImage *shim_thumbnail_image(VipsImage *in, int width, const ShimThumbnailOptions *options);

VipsImage *shim_colourspace(VipsImage *in, VipsInterpretation space);
VipsImage *shim_addalpha(VipsImage *in);
VipsImage *shim_cast_uchar(VipsImage *in);
/// Centres `in` on a transparent width x height canvas (expects an alpha band).
VipsImage *shim_embed_centre(VipsImage *in, int width, int height);
VipsImage *shim_extract_area(VipsImage *in, int left, int top, int width, int height);

/// A transparent sRGB canvas: 4 bands of zeros.
VipsImage *shim_transparent_canvas(int width, int height);
/// `sub` replaces the pixels of `main` at (x, y), alpha included.
VipsImage *shim_insert(VipsImage *main, VipsImage *sub, int x, int y);
/// `overlay` composited over `base` at (x, y) with the "over" operator.
VipsImage *shim_composite_over(VipsImage *base, VipsImage *overlay, int x, int y);

typedef struct {
    int quality;        /* JPEG, WEBP, AVIF */
    int compression;    /* PNG zlib level 0-9 */
    int effort;         /* WEBP/AVIF/GIF effort */
    int strip;          /* drop metadata */
    int keep_profile;   /* unused with strip; reserved */
    int png_filter;     /* PNG row filters, VipsForeignPngFilter bits; 0 for libvips' default */
    int png_palette;    /* PNG: quantise to an 8-bit palette (lossy) */
} ShimSaveOptions;

int shim_jpegsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *options);
int shim_pngsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *options);
int shim_webpsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *options);
int shim_gifsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *options);
int shim_tiffsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *options);
int shim_avifsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *options);

/// Reads an int header field; returns 0 and sets *out when present.
int shim_get_int(VipsImage *image, const char *name, int *out);

/* The image with every strip kept once computed (an unbounded, persistent tile cache):
   the encoder streams from it as from the pipeline, and what reads it afterwards reads
   memory instead of decoding again. */
VipsImage *shim_keep_pixels(VipsImage *in);

/* Every xfac-th pixel of every yfac-th row (point sampling). */
VipsImage *shim_subsample(VipsImage *in, int xfac, int yfac);

/* Box-filter shrink by the given factors (cheap: each output pixel is a mean). */
VipsImage *shim_shrink(VipsImage *in, double hshrink, double vshrink);

/* A copy of `in` with every metadata block removed, for the savers (see shim.c). */
VipsImage *shim_without_metadata(VipsImage *in);
/// 1 when the image carries the named field.
int shim_has_field(VipsImage *image, const char *name);

/// The pixels of `in`, packed row by row; free with g_free. NULL on failure.
void *shim_write_to_memory(VipsImage *in, size_t *length);
/// An 8-bit image of `bands` bands over a copy of `data` (sRGB for 3 or 4 bands, B_W for 1).
VipsImage *shim_image_from_pixels(const void *data, size_t length, int width, int height, int bands);

#endif
