#include "vips_shim.h"

int shim_init(const char *argv0) { return VIPS_INIT(argv0); }

void shim_unref(VipsImage *image) { if (image) g_object_unref(image); }

VipsImage *shim_image_new_from_buffer(const void *data, size_t length, const char *options) {
    return vips_image_new_from_buffer(data, length, options ? options : "", NULL);
}

VipsImage *shim_thumbnail_buffer(const void *data, size_t length, int width, const ShimThumbnailOptions *o) {
    VipsImage *out = NULL;
    if (vips_thumbnail_buffer((void *) data, length, &out, width,
            "height", o->height, "size", o->size, "crop", o->crop,
            "option_string", o->load_options ? o->load_options : "",
            o->export_profile ? "export_profile" : NULL, o->export_profile,
            NULL))
        return NULL;
    return out;
}

VipsImage *shim_thumbnail_image(VipsImage *in, int width, const ShimThumbnailOptions *o) {
    VipsImage *out = NULL;
    if (vips_thumbnail_image(in, &out, width,
            "height", o->height, "size", o->size, "crop", o->crop,
            o->export_profile ? "export_profile" : NULL, o->export_profile,
            NULL))
        return NULL;
    return out;
}

VipsImage *shim_colourspace(VipsImage *in, VipsInterpretation space) {
    VipsImage *out = NULL;
    return vips_colourspace(in, &out, space, NULL) ? NULL : out;
}

VipsImage *shim_addalpha(VipsImage *in) {
    VipsImage *out = NULL;
    return vips_addalpha(in, &out, NULL) ? NULL : out;
}

VipsImage *shim_cast_uchar(VipsImage *in) {
    VipsImage *out = NULL;
    return vips_cast_uchar(in, &out, NULL) ? NULL : out;
}

VipsImage *shim_embed_centre(VipsImage *in, int width, int height) {
    VipsImage *out = NULL;
    return vips_gravity(in, &out, VIPS_COMPASS_DIRECTION_CENTRE, width, height,
               "extend", VIPS_EXTEND_BLACK, NULL) ? NULL : out;
}

VipsImage *shim_extract_area(VipsImage *in, int left, int top, int width, int height) {
    VipsImage *out = NULL;
    return vips_extract_area(in, &out, left, top, width, height, NULL) ? NULL : out;
}

int shim_jpegsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *o) {
    /* JPEG has no alpha: transparent pixels are flattened over white (as the placeholders
     * see them), not over libvips' default black. */
    VipsArrayDouble *white = vips_array_double_newv(1, 255.0);
    int status = vips_jpegsave_buffer(in, buffer, length, "Q", o->quality, "strip", o->strip,
               "optimize_coding", TRUE, "background", white, NULL);
    vips_area_unref(VIPS_AREA(white));
    return status;
}

int shim_pngsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *o) {
    if (o->png_filter != 0)
        return vips_pngsave_buffer(in, buffer, length, "compression", o->compression, "strip", o->strip,
                   "filter", o->png_filter, "palette", o->png_palette, "Q", o->quality, NULL);
    return vips_pngsave_buffer(in, buffer, length, "compression", o->compression, "strip", o->strip,
               "palette", o->png_palette, "Q", o->quality, NULL);
}

int shim_webpsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *o) {
    return vips_webpsave_buffer(in, buffer, length, "Q", o->quality, "effort", o->effort,
               "strip", o->strip, NULL);
}

int shim_gifsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *o) {
    return vips_gifsave_buffer(in, buffer, length, "effort", o->effort, "strip", o->strip, NULL);
}

int shim_tiffsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *o) {
    return vips_tiffsave_buffer(in, buffer, length, "compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE,
               "strip", o->strip, NULL);
}

int shim_avifsave_buffer(VipsImage *in, void **buffer, size_t *length, const ShimSaveOptions *o) {
    return vips_heifsave_buffer(in, buffer, length, "Q", o->quality, "effort", o->effort,
               "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "strip", o->strip, NULL);
}

int shim_get_int(VipsImage *image, const char *name, int *out) {
    if (vips_image_get_typeof(image, name) == 0) return -1;
    return vips_image_get_int(image, name, out);
}

int shim_has_field(VipsImage *image, const char *name) {
    return vips_image_get_typeof(image, name) != 0;
}

VipsImage *shim_transparent_canvas(int width, int height) {
    VipsImage *black = NULL, *out = NULL;
    if (vips_black(&black, width, height, "bands", 4, NULL)) return NULL;
    int failed = vips_copy(black, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(black);
    if (failed) return NULL;
    VipsImage *uchar = NULL;
    failed = vips_cast_uchar(out, &uchar, NULL);
    g_object_unref(out);
    return failed ? NULL : uchar;
}

VipsImage *shim_insert(VipsImage *main, VipsImage *sub, int x, int y) {
    VipsImage *out = NULL;
    return vips_insert(main, sub, &out, x, y, NULL) ? NULL : out;
}

VipsImage *shim_composite_over(VipsImage *base, VipsImage *overlay, int x, int y) {
    VipsImage *out = NULL;
    return vips_composite2(base, overlay, &out, VIPS_BLEND_MODE_OVER, "x", x, "y", y, NULL) ? NULL : out;
}

void *shim_write_to_memory(VipsImage *in, size_t *length) {
    return vips_image_write_to_memory(in, length);
}

VipsImage *shim_image_from_pixels(const void *data, size_t length, int width, int height, int bands) {
    return vips_image_new_from_memory_copy(data, length, width, height, bands, VIPS_FORMAT_UCHAR);
}

/* A copy whose metadata is gone: EXIF (blob and the exif-* fields libvips rebuilds it
   from), XMP, IPTC, the colour profile and the orientation tag. The savers' own "strip"
   is not enough: libvips 8.14's webpsave writes EXIF, GPS included, whatever it says. */
VipsImage *shim_without_metadata(VipsImage *in) {
    VipsImage *out = NULL;
    if (vips_copy(in, &out, NULL)) return NULL;
    gchar **fields = vips_image_get_fields(out);
    static const char *prefixes[] = { "exif-", "xmp-", "iptc-", "ipct-", "icc-", "orientation", "heif-", "png-comment", "gif-comment" };
    for (gchar **field = fields; field && *field; field++) {
        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
            if (g_str_has_prefix(*field, prefixes[i])) {
                vips_image_remove(out, *field);
                break;
            }
        }
    }
    g_strfreev(fields);
    return out;
}

VipsImage *shim_shrink(VipsImage *in, double hshrink, double vshrink) {
    VipsImage *out = NULL;
    return vips_shrink(in, &out, hshrink, vshrink, NULL) ? NULL : out;
}

VipsImage *shim_keep_pixels(VipsImage *in) {
    VipsImage *out = NULL;
    return vips_tilecache(in, &out, "tile_width", vips_image_get_width(in), "tile_height", 16, "max_tiles", -1,
                          "access", VIPS_ACCESS_RANDOM, "threaded", TRUE, "persistent", TRUE, NULL) ? NULL : out;
}

VipsImage *shim_subsample(VipsImage *in, int xfac, int yfac) {
    VipsImage *out = NULL;
    return vips_subsample(in, &out, xfac, yfac, NULL) ? NULL : out;
}
