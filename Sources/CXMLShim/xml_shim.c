#include "xml_shim.h"

#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

/* The handles are libxml2's own pointers under names Swift cannot look into. */
#define DOC(d) ((xmlDocPtr) (d))
#define NODE(n) ((xmlNodePtr) (n))
#define ATTR(a) ((xmlAttrPtr) (a))

static void initialise(void) {
    static int done = 0;
    if (!done) {
        xmlInitParser();
        done = 1;
    }
}

rw_xml_document *rw_xml_read_xmp(const uint8_t *bytes, int length) {
    if (bytes == NULL || length <= 0) return NULL;
    initialise();
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    return (rw_xml_document *) xmlReadMemory((const char *) bytes, length, NULL, "UTF-8", options);
}

rw_xml_document *rw_html_read_utf8(const uint8_t *bytes, int length) {
    if (bytes == NULL || length <= 0) return NULL;
    initialise();
    int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET
        | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;
    return (rw_xml_document *) htmlReadMemory((const char *) bytes, length, NULL, "UTF-8", options);
}

void rw_xml_free_document(rw_xml_document *document) {
    if (document != NULL) xmlFreeDoc(DOC(document));
}

rw_xml_node *rw_xml_document_first_child(rw_xml_document *document) {
    return document == NULL ? NULL : (rw_xml_node *) DOC(document)->children;
}

rw_xml_node *rw_xml_node_next(rw_xml_node *node) {
    return node == NULL ? NULL : (rw_xml_node *) NODE(node)->next;
}

rw_xml_node *rw_xml_node_first_child(rw_xml_node *node) {
    return node == NULL ? NULL : (rw_xml_node *) NODE(node)->children;
}

rw_xml_node *rw_xml_node_parent(rw_xml_node *node) {
    if (node == NULL || NODE(node)->parent == NULL) return NULL;
    xmlElementType type = NODE(node)->parent->type;
    if (type == XML_DOCUMENT_NODE || type == XML_HTML_DOCUMENT_NODE) return NULL;
    return (rw_xml_node *) NODE(node)->parent;
}

int rw_xml_node_is_element(rw_xml_node *node) {
    return node != NULL && NODE(node)->type == XML_ELEMENT_NODE;
}

const uint8_t *rw_xml_node_name(rw_xml_node *node) {
    return node == NULL ? NULL : NODE(node)->name;
}

const uint8_t *rw_xml_node_namespace(rw_xml_node *node) {
    return node == NULL || NODE(node)->ns == NULL ? NULL : NODE(node)->ns->href;
}

char *rw_xml_node_text(rw_xml_node *node) {
    return node == NULL ? NULL : (char *) xmlNodeGetContent(NODE(node));
}

void rw_xml_remove_node(rw_xml_node *node) {
    if (node == NULL) return;
    xmlUnlinkNode(NODE(node));
    xmlFreeNode(NODE(node));
}

rw_xml_attribute *rw_xml_node_first_attribute(rw_xml_node *node) {
    return node == NULL || NODE(node)->type != XML_ELEMENT_NODE ? NULL : (rw_xml_attribute *) NODE(node)->properties;
}

rw_xml_attribute *rw_xml_attribute_next(rw_xml_attribute *attribute) {
    return attribute == NULL ? NULL : (rw_xml_attribute *) ATTR(attribute)->next;
}

const uint8_t *rw_xml_attribute_name(rw_xml_attribute *attribute) {
    return attribute == NULL ? NULL : ATTR(attribute)->name;
}

const uint8_t *rw_xml_attribute_namespace(rw_xml_attribute *attribute) {
    return attribute == NULL || ATTR(attribute)->ns == NULL ? NULL : ATTR(attribute)->ns->href;
}

char *rw_xml_attribute_value(rw_xml_attribute *attribute) {
    return attribute == NULL ? NULL : (char *) xmlNodeGetContent((xmlNodePtr) ATTR(attribute));
}

void rw_xml_remove_attribute(rw_xml_attribute *attribute) {
    if (attribute != NULL) xmlRemoveProp(ATTR(attribute));
}

void rw_xml_free_text(void *text) {
    xmlFree(text);
}

uint8_t *rw_xml_serialize(rw_xml_document *document, size_t *length) {
    *length = 0;
    if (document == NULL) return NULL;
    xmlBufferPtr buffer = xmlBufferCreate();
    if (buffer == NULL) return NULL;
    for (xmlNodePtr node = DOC(document)->children; node != NULL; node = node->next) {
        xmlNodeDump(buffer, DOC(document), node, 0, 0);
    }
    int size = xmlBufferLength(buffer);
    uint8_t *copy = size > 0 ? xmlMalloc((size_t) size) : NULL;
    if (copy != NULL) {
        memcpy(copy, xmlBufferContent(buffer), (size_t) size);
        *length = (size_t) size;
    }
    xmlBufferFree(buffer);
    return copy;
}
