// Why this file exists: libxml2's headers include the system's ICU, and Foundation
// brings an ICU of its own; a Swift module that sees both fails to build, depending
// on build order. So no Swift module sees libxml2: they get opaque handles and these
// few calls, and only xml_shim.c includes libxml2's headers.
#ifndef RW_XML_SHIM_H
#define RW_XML_SHIM_H

#include <stddef.h>
#include <stdint.h>

typedef struct rw_xml_document rw_xml_document;
typedef struct rw_xml_node rw_xml_node;
typedef struct rw_xml_attribute rw_xml_attribute;

/// An XMP packet as one XML document: no network, no DTD, no messages; NULL when it is not well-formed.
rw_xml_document *rw_xml_read_xmp(const uint8_t *bytes, int length);
/// A fetched page already decoded to valid UTF-8, parsed as browsers recover broken markup:
/// no network, and no switching to a charset the page's markup names. The elements HTML
/// implies (html, head, body) are made, so what follows a head without its tag stays in it.
rw_xml_document *rw_html_read_utf8(const uint8_t *bytes, int length);
void rw_xml_free_document(rw_xml_document *document);

/// The document's first top-level node, or NULL.
rw_xml_node *rw_xml_document_first_child(rw_xml_document *document);
rw_xml_node *rw_xml_node_next(rw_xml_node *node);
rw_xml_node *rw_xml_node_first_child(rw_xml_node *node);
/// The parent node, or NULL when the parent is the document itself.
rw_xml_node *rw_xml_node_parent(rw_xml_node *node);
int rw_xml_node_is_element(rw_xml_node *node);
/// Zero-terminated UTF-8, owned by the document.
const uint8_t *rw_xml_node_name(rw_xml_node *node);
/// The namespace URI, or NULL.
const uint8_t *rw_xml_node_namespace(rw_xml_node *node);
/// The node's text, malloc'd (free with rw_xml_free_text), or NULL.
char *rw_xml_node_text(rw_xml_node *node);
/// Unlinks the node from its document and frees it with everything inside.
void rw_xml_remove_node(rw_xml_node *node);

rw_xml_attribute *rw_xml_node_first_attribute(rw_xml_node *node);
rw_xml_attribute *rw_xml_attribute_next(rw_xml_attribute *attribute);
const uint8_t *rw_xml_attribute_name(rw_xml_attribute *attribute);
const uint8_t *rw_xml_attribute_namespace(rw_xml_attribute *attribute);
/// The attribute's value, malloc'd (free with rw_xml_free_text), or NULL.
char *rw_xml_attribute_value(rw_xml_attribute *attribute);
void rw_xml_remove_attribute(rw_xml_attribute *attribute);

void rw_xml_free_text(void *text);

/// Every top-level node written back as UTF-8, without an XML declaration; malloc'd
/// (free with rw_xml_free_text), NULL when writing failed. `length` receives the size.
uint8_t *rw_xml_serialize(rw_xml_document *document, size_t *length);

/// `length` bytes in the charset iconv calls `from`, as UTF-8: malloc'd (free with
/// rw_free_converted), `out_length` receiving its size. A byte iconv cannot read becomes
/// U+FFFD and conversion goes on after it, as the Encoding Standard's decoders do.
/// NULL when iconv does not know `from` (or memory ran out).
uint8_t *rw_convert_to_utf8(const char *from, const uint8_t *bytes, size_t length, size_t *out_length);
void rw_free_converted(uint8_t *converted);

#endif
