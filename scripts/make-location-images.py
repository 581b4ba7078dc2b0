#!/usr/bin/env python3
"""Writes TestImages/location/: one JPEG per route by which a position can travel
inside a JPEG, each carrying 48.8584 N 2.2945 E, and location/MANIFEST.tsv.

Usage: make-location-images.py CAMERA_JPEG PROGRESSIVE_JPEG OUT_DIR
CAMERA_JPEG has camera tags (Make, Model, DateTimeOriginal) in a plain EXIF block and
an ICC profile. The manifest's "kept" column names the tags (as exiftool -G1 prints
them) that must survive, so a test can check that only the position went.
"""
import struct
import sys

camera_path, progressive_path, out = sys.argv[1:4]
camera = open(camera_path, "rb").read()
progressive = open(progressive_path, "rb").read()
rows = []

LAT = (48, 51, 30)   # 48.8584 N as degrees, minutes, seconds
LON = (2, 17, 40)


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def insert_after_soi(jpeg, *segments):
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


class IFD:
    """A little-endian TIFF directory: plain entries, links to other directories, a next one."""

    def __init__(self, entries=(), links=(), next_ifd=None):
        self.entries = list(entries)        # (tag, type, count, data bytes)
        self.links = list(links)            # (tag, [IFD, ...])
        self.next = next_ifd


def ascii_entry(tag, text):
    data = text.encode() + b"\0"
    return (tag, 2, len(data), data)


def rationals(tag, values):
    return (tag, 5, len(values), b"".join(struct.pack("<II", v, 1) for v in values))


def gps_ifd():
    return IFD([(0, 1, 4, bytes([2, 3, 0, 0])), ascii_entry(1, "N"), rationals(2, LAT),
                ascii_entry(3, "E"), rationals(4, LON)])


def camera_ifd0(*links, next_ifd=None):
    return IFD([ascii_entry(0x010F, "Synthetic"), ascii_entry(0x0110, "Gradient")], list(links), next_ifd)


def tiff(root):
    order, queue = [], [root]
    while queue:
        ifd = queue.pop(0)
        if any(ifd is seen for seen in order):
            continue
        order.append(ifd)
        for _, targets in ifd.links:
            queue.extend(targets)
        if ifd.next:
            queue.append(ifd.next)

    def entries(ifd):
        return ifd.entries + [(tag, 4, len(targets), b"\0" * 4 * len(targets)) for tag, targets in ifd.links]

    def size(ifd):
        all_entries = entries(ifd)
        return 2 + 12 * len(all_entries) + 4 + sum(len(e[3]) for e in all_entries if len(e[3]) > 4)

    offsets, position = {}, 8
    for ifd in order:
        offsets[id(ifd)] = position
        position += size(ifd)
    out_bytes = b"II*\0" + struct.pack("<I", 8)
    for ifd in order:
        base = offsets[id(ifd)]
        all_entries = ifd.entries + [(tag, 4, len(targets), b"".join(struct.pack("<I", offsets[id(t)]) for t in targets))
                                     for tag, targets in ifd.links]
        all_entries.sort(key=lambda e: e[0])
        head, values = struct.pack("<H", len(all_entries)), b""
        value_at = base + 2 + 12 * len(all_entries) + 4
        for tag, kind, count, data in all_entries:
            head += struct.pack("<HHI", tag, kind, count)
            if len(data) <= 4:
                head += data.ljust(4, b"\0")
            else:
                head += struct.pack("<I", value_at + len(values))
                values += data
        head += struct.pack("<I", offsets[id(ifd.next)] if ifd.next else 0)
        out_bytes += head + values
    return out_bytes


def xmp(description, header=b"http://ns.adobe.com/xap/1.0/\0"):
    packet = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
              '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
              + description +
              '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/>'
              '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    return header + packet.encode()


EXIF_GPS_XMP = ('<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
                'exif:GPSLatitude="48,51.5N" exif:GPSLongitude="2,17.6667E"/>')


CAMERA_TAGS = ["[IFD0] Make", "[IFD0] Model", "[ExifIFD] DateTimeOriginal", "[ICC_Profile] ProfileDescription"]


def write(name, data, route, kept=()):
    open(f"{out}/{name}", "wb").write(data)
    rows.append((name, route, ",".join(CAMERA_TAGS + list(kept))))


def exif(root, header=b"Exif\0\0"):
    return segment(0xE1, header + tiff(root))


# EXIF: GPS directories wherever a reader follows links.
write("exif-gps-in-ifd1.jpg", insert_after_soi(camera, exif(camera_ifd0(next_ifd=IFD(links=[(0x8825, [gps_ifd()])])))),
      "GPS directory linked from IFD1")
write("exif-gps-in-ifd2.jpg", insert_after_soi(camera, exif(camera_ifd0(
    next_ifd=IFD([(0x0103, 3, 1, struct.pack("<H", 6))], next_ifd=IFD(links=[(0x8825, [gps_ifd()])]))))),
      "GPS directory linked from IFD2, after the thumbnail's")
write("exif-gps-in-subifd.jpg", insert_after_soi(camera, exif(camera_ifd0(
    (0x014A, [IFD([(0x00FE, 4, 1, struct.pack("<I", 1))]), IFD(links=[(0x8825, [gps_ifd()])])])))),
      "GPS directory linked from the second SubIFD")
write("exif-gps-in-interop.jpg", insert_after_soi(camera, exif(camera_ifd0(
    (0x8769, [IFD([ascii_entry(0x9003, "2024:05:01 10:00:00")],
                  [(0xA005, [IFD([ascii_entry(1, "R98")], [(0x8825, [gps_ifd()])])])])])))),
      "GPS directory linked from the Interoperability directory")
write("exif-header-lowercase.jpg", insert_after_soi(camera, exif(camera_ifd0((0x8825, [gps_ifd()])), b"exif\0\0")),
      "EXIF under 'exif\\0\\0'")
write("exif-header-after-garbage.jpg", insert_after_soi(camera, exif(camera_ifd0((0x8825, [gps_ifd()])), b"ab12Exif\0\0")),
      "EXIF after four bytes of garbage")
write("exif-header-odd-pad.jpg", insert_after_soi(camera, exif(camera_ifd0((0x8825, [gps_ifd()])), b"EXIF\0x")),
      "EXIF under 'EXIF\\0x'")
parrot = segment(0xE1, b"PARROT\0" + tiff(camera_ifd0((0x8825, [gps_ifd()]))))
write("exif-parrot.jpg", insert_after_soi(camera, parrot), "Parrot drone APP1 with a TIFF structure")
meta = segment(0xE3, b"Meta\0\0" + tiff(camera_ifd0((0x8825, [gps_ifd()]))))
write("exif-app3-meta.jpg", insert_after_soi(camera, meta), "APP3 Meta block with a TIFF structure")
# Multi-segment EXIF: the GPS directory lies in a second APP1 that readers join to the first.
whole = tiff(camera_ifd0((0x8825, [gps_ifd()])))
cut = len(whole) - 40
write("exif-continued.jpg", insert_after_soi(camera, segment(0xE1, b"Exif\0\0" + whole[:cut]),
                                             segment(0xE1, b"Exif\0\0" + whole[cut:])),
      "EXIF continued in a second APP1")

# XMP in the forms XML allows, and under headers readers accept.
write("xmp-drone-dji.jpg", insert_after_soi(camera, segment(0xE1, xmp(
    '<rdf:Description rdf:about="" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" '
    'drone-dji:GpsLatitude="+48.8584" drone-dji:GpsLongitude="+2.2945" drone-dji:AbsoluteAltitude="+35.2"/>'))),
      "DJI drone XMP attributes", ["[XMP-dc] Format", "[XMP-drone-dji] AbsoluteAltitude"])
write("xmp-whitespace-in-tags.jpg", insert_after_soi(camera, segment(0xE1, xmp(
    '<rdf:Description rdf:about="">\n <exif:GPSLatitude\n  xmlns:exif="http://ns.adobe.com/exif/1.0/"\n >48,51.5N</exif:GPSLatitude\n>'
    '<exif:GPSLongitude xmlns:exif="http://ns.adobe.com/exif/1.0/"\t>2,17.6667E</exif:GPSLongitude></rdf:Description>'))),
      "XMP elements with whitespace inside their tags", ["[XMP-dc] Format"])
write("xmp-default-namespace.jpg", insert_after_soi(camera, segment(0xE1, xmp(
    '<rdf:Description rdf:about=""><GPSLatitude xmlns="http://ns.adobe.com/exif/1.0/">48,51.5N</GPSLatitude>'
    '<GPSLongitude xmlns="http://ns.adobe.com/exif/1.0/">2,17.6667E</GPSLongitude></rdf:Description>'))),
      "XMP GPS properties in a default namespace", ["[XMP-dc] Format"])
write("xmp-other-prefix.jpg", insert_after_soi(camera, segment(0xE1, xmp(
    '<rdf:Description rdf:about="" xmlns:e="http://ns.adobe.com/exif/1.0/" e:GPSLatitude="48,51.5N" e:GPSLongitude="2,17.6667E"/>'))),
      "XMP GPS properties under another prefix", ["[XMP-dc] Format"])
write("xmp-iptc-location.jpg", insert_after_soi(camera, segment(0xE1, xmp(
    '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><Iptc4xmpExt:LocationCreated>'
    '<rdf:Bag><rdf:li rdf:parseType="Resource"><Iptc4xmpExt:GPSLatitude>48,51.5N</Iptc4xmpExt:GPSLatitude>'
    '<Iptc4xmpExt:GPSLongitude>2,17.6667E</Iptc4xmpExt:GPSLongitude><Iptc4xmpExt:City>Paris</Iptc4xmpExt:City>'
    '</rdf:li></rdf:Bag></Iptc4xmpExt:LocationCreated></rdf:Description>'))),
      "IPTC Extension location structure")
write("xmp-header-xmp0.jpg", insert_after_soi(camera, segment(0xE1, xmp(EXIF_GPS_XMP, b"XMP\0"))),
      "XMP under 'XMP\\0'")
write("xmp-no-header.jpg", insert_after_soi(camera, segment(0xE1, xmp(EXIF_GPS_XMP, b""))),
      "XMP with no header, found by its xpacket")
# Extended XMP, the GPS property split across two extension segments (stored in reverse order).
guid = b"2C1F8D3A9B7E4C5D6E7F8091A2B3C4D5"
extended = xmp(EXIF_GPS_XMP, b"")
split = extended.index(b"GPSLatitude") + 4
main = xmp('<rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" '
           f'xmpNote:HasExtendedXMP="{guid.decode()}"/>')


def extension(start, end):
    return segment(0xE1, b"http://ns.adobe.com/xmp/extension/\0" + guid + struct.pack(">II", len(extended), start)
                   + extended[start:end])


write("xmp-extended-split.jpg", insert_after_soi(camera, segment(0xE1, main), extension(split, len(extended)),
                                                 extension(0, split)),
      "Extended XMP with its GPS property split across two segments", ["[XMP-dc] Format"])


# Photoshop image resources.
def resource(identifier, data):
    return b"8BIM" + struct.pack(">H", identifier) + b"\0\0" + struct.pack(">I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


iptc = resource(0x0404, b"\x1c\x02\x78\x00\x0aA caption.")
write("photoshop-xmp.jpg", insert_after_soi(camera, segment(0xED, b"Photoshop 3.0\0" + iptc + resource(0x0424, xmp(EXIF_GPS_XMP, b"")))),
      "XMP inside a Photoshop APP13 resource", ["[IPTC] Caption-Abstract"])
write("photoshop-exif.jpg", insert_after_soi(camera, segment(0xED, b"Photoshop 3.0\0" + iptc
                                                             + resource(0x0422, tiff(camera_ifd0((0x8825, [gps_ifd()])))))),
      "EXIF inside a Photoshop APP13 resource", ["[IPTC] Caption-Abstract"])

# Links readers follow besides the usual ones, and parts that only join up across segments.
write("exif-global-parameters.jpg", insert_after_soi(camera, exif(camera_ifd0((0x0190, [IFD(links=[(0x8825, [gps_ifd()])])])))),
      "GPS directory linked from Adobe's GlobalParameters directory")
short_root = IFD([(0x8769, 3, 1, struct.pack("<H", 38) + b"\0\0")], [(0xC000, [IFD(links=[(0x8825, [gps_ifd()])])])])
write("exif-pointer-as-short.jpg", insert_after_soi(camera, exif(short_root)),
      "Exif directory linked by a SHORT pointer, GPS linked from it")
write("exif-kodak-gps-string.jpg", insert_after_soi(camera, exif(camera_ifd0((0x8290, [IFD([ascii_entry(0x0402, "48.8584N 2.2945E")])])))),
      "Kodak directory with a GPSString")
split_resource = resource(0x0422, tiff(camera_ifd0((0x8825, [gps_ifd()]))))
write("photoshop-split.jpg", insert_after_soi(camera, segment(0xED, b"Photoshop 3.0\0" + iptc + split_resource[:24]),
                                              segment(0xED, b"Photoshop 3.0\0" + split_resource[24:])),
      "An EXIF resource split across two Photoshop APP13 segments")
wide = b"\xff\xfe" + xmp(EXIF_GPS_XMP, b"").decode().encode("utf-16-le")
write("photoshop-xmp-utf16.jpg", insert_after_soi(camera, segment(0xED, b"Photoshop 3.0\0" + iptc + resource(0x0424, wide))),
      "UTF-16 XMP inside a Photoshop APP13 resource")
decoy_guid = b"9C1F8D3A9B7E4C5D6E7F8091A2B3C4D5"
whole_packet = xmp(EXIF_GPS_XMP, b"")
cut_at = whole_packet.index(b"GPSLatitude") + 2


def decoy(start, data):
    return segment(0xE1, b"http://ns.adobe.com/xmp/extension/\0" + decoy_guid + struct.pack(">II", len(whole_packet), start) + data)


write("xmp-extended-decoy.jpg", insert_after_soi(camera, segment(0xE1, xmp(
    '<rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" '
    f'xmpNote:HasExtendedXMP="{decoy_guid.decode()}"/>')), decoy(0, whole_packet[:cut_at]), decoy(1, b"x"),
    decoy(cut_at, whole_packet[cut_at:])),
      "Extended XMP with a chunk off the chain, so a naive join hides the GPS name")

# Further images, and what follows them.
def with_mpf(primary, following):
    """The primary image with an MPF index (APP2) that points at the image after it."""
    mpf_length = 4 + 4 + 8 + 2 + 3 * 12 + 4 + 32  # marker and length, "MPF\0", TIFF header, IFD, two entries
    primary_size = len(primary) + mpf_length
    entries = struct.pack(">IIIHH", 0x20030000, primary_size, 0, 0, 0)
    entries += struct.pack(">IIIHH", 0x00020002, len(following), primary_size - 10, 0, 0)
    ifd = struct.pack(">H", 3) + struct.pack(">HHI", 0xB000, 7, 4) + b"0100" + struct.pack(">HHII", 0xB001, 4, 1, 2)
    ifd += struct.pack(">HHII", 0xB002, 7, 32, 8 + 2 + 3 * 12 + 4) + struct.pack(">I", 0) + entries
    mpf = segment(0xE2, b"MPF\0" + b"MM\0*" + struct.pack(">I", 8) + ifd)
    assert len(mpf) == mpf_length
    return insert_after_soi(primary, mpf)


second = insert_after_soi(camera, exif(camera_ifd0((0x8825, [gps_ifd()]))), segment(0xE1, xmp(EXIF_GPS_XMP)))
write("second-image.jpg", with_mpf(camera, second) + second,
      "A second image, indexed by MPF as in MPO files, with GPS in EXIF and XMP")
write("second-image-then-html.jpg", with_mpf(camera, second) + second + b"<html><body>48.8584, 2.2945</body></html>",
      "A second image, then HTML naming the position")

# Metadata between the scans of a progressive JPEG.
first_scan = progressive.index(b"\xff\xda")
second_scan = progressive.index(b"\xff\xda", first_scan + 2)
between = segment(0xE1, xmp(EXIF_GPS_XMP))
open(f"{out}/between-scans.jpg", "wb").write(progressive[:second_scan] + between + progressive[second_scan:])
rows.append(("between-scans.jpg", "XMP placed between two scans of a progressive JPEG", ""))

# A segment of a kind we do not read (GoPro's GPMF telemetry) naming GPS.
gpmf = segment(0xE6, b"GoPro\0" + b"GPS5" + struct.pack(">bbH", 0x6C, 20, 1) + struct.pack(">iiiii", 488584000, 22945000, 35, 0, 0))
write("unknown-segment-gps.jpg", insert_after_soi(camera, gpmf), "An APP6 GoPro block with a GPS5 stream")

with open(f"{out}/MANIFEST.tsv", "w") as manifest:
    manifest.write("file\troute\tkept\n")
    for name, route, kept in rows:
        manifest.write(f"{name}\t{route}\t{kept}\n")
print(f"wrote {len(rows)} images to {out}/")
