#include "json_file.h"

#include <stdio.h>
#include <stdlib.h>

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    size_t size = n > 0 ? (size_t)n : 0;
    char *text = malloc(size + 1);
    size_t got = text ? fread(text, 1, size, f) : 0;
    if (text) text[got] = '\0';
    fclose(f);
    return text;
}

cJSON *read_json_file(const char *path) {
    char *text = read_text(path);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    free(text);
    return doc;
}
